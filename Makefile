# Top-level build. Each area owns a fragment in mk/ that defines build-X, test-X,
# bench-X and demo-X; this file only strings them together so that `make` builds
# everything and `make test` runs every test.
SHELL := /bin/bash
GO ?= go
BUILD := $(CURDIR)/build
OUT := $(CURDIR)/out
DIST := $(CURDIR)/dist
export GOFLAGS ?= -mod=mod
# The Wine test prefix (mk/wine.mk makes it), named here because mk/windows*.mk, read
# before mk/wine.mk, use it in prerequisite lists, which make expands as it reads them.
WINE_READY := $(BUILD)/wine/ready
WINE_RUN := $(CURDIR)/scripts/wine/run.sh $(BUILD)

AREAS := go capi python node java

# $(call static-program,NAME,PACKAGE,SOURCES) defines the rules of a static Go program:
# build/NAME for this machine, dist/NAME-linux-ARCH and dist/NAME-windows-ARCH.exe for
# any GOARCH (the fragment lists the ones `make` builds). CGO_ENABLED=0: no libc, so each
# runs on any system of its OS and architecture; -trimpath, stripped. Each is built to a
# temporary name and renamed: a running copy is never overwritten. Used by mk/cli.mk
# (cxreports, ./cmd/cxreports) and mk/fake.mk (cxfake, ./cmd/cxfake).
STATIC_FLAGS := -trimpath -ldflags='-s -w'
define static-program
$$(BUILD)/$(1): $(3)
	@mkdir -p $$(BUILD)
	CGO_ENABLED=0 $$(GO) build $$(STATIC_FLAGS) -o $$@.tmp $(2)
	mv $$@.tmp $$@
$$(DIST)/$(1)-linux-%: $(3)
	@mkdir -p $$(DIST)
	CGO_ENABLED=0 GOOS=linux GOARCH=$$* $$(GO) build $$(STATIC_FLAGS) -o $$@.tmp $(2)
	mv $$@.tmp $$@
$$(DIST)/$(1)-windows-%.exe: $(3)
	@mkdir -p $$(DIST)
	CGO_ENABLED=0 GOOS=windows GOARCH=$$* $$(GO) build $$(STATIC_FLAGS) -o $$@.tmp $(2)
	mv $$@.tmp $$@
endef

.PHONY: all test bench demo fuzz clean test-incremental
# No recipe of its own, so that `make -q` can tell when everything is up to date.
all: $(addprefix build-,$(AREAS))
test: $(addprefix test-,$(AREAS)) test-incremental
# A second `make` with nothing changed rebuilds nothing.
test-incremental: all
	@$(MAKE) --no-print-directory -q all || { echo "make: a second 'make' would run:" >&2; \
		$(MAKE) --no-print-directory -n all >&2; exit 1; }
	@echo "test-incremental: a second 'make' has nothing to do"
bench: $(addprefix bench-,$(AREAS))
demo: all
	$(MAKE) --no-print-directory $(addprefix demo-,$(AREAS))
clean:
	rm -rf $(BUILD) $(OUT) $(DIST)

include $(sort $(wildcard mk/*.mk))
