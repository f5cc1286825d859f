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
