# Top-level build. Each area owns a fragment in mk/ that defines build-X, test-X,
# bench-X and demo-X; this file only strings them together so that `make` builds
# everything and `make test` runs every test.
SHELL := /bin/bash
GO ?= go
BUILD := $(CURDIR)/build
OUT := $(CURDIR)/out
DIST := $(CURDIR)/dist
export GOFLAGS ?= -mod=mod

AREAS := go capi python node

.PHONY: all test bench demo fuzz clean
all: $(addprefix build-,$(AREAS))
	@echo "built: build/cxfake build/libcxreports.so dist/"
test: $(addprefix test-,$(AREAS))
bench: $(addprefix bench-,$(AREAS))
demo: all
	$(MAKE) --no-print-directory $(addprefix demo-,$(AREAS))
clean:
	rm -rf $(BUILD) $(OUT) $(DIST)

include $(sort $(wildcard mk/*.mk))
