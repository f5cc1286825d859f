# The command line: build/cxreports, a static program (CGO_ENABLED=0: no libc, runs
# on any linux of its architecture), and its copies for linux amd64 and arm64 in
# dist/, plus dist/cxreports-windows-{amd64,arm64}.exe (the same static build for
# Windows; tested under Wine by test-cli-windows in mk/windows-tests.mk). Its Go tests run with test-go (./cmd/...); test-cli checks it is static.
.PHONY: build-cli test-cli
CLI_SRC := $(shell find core cmd/cxreports -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum

all: build-cli
test: test-cli
build-cli: $(BUILD)/cxreports $(DIST)/cxreports-linux-amd64 $(DIST)/cxreports-linux-arm64 \
	$(DIST)/cxreports-windows-amd64.exe $(DIST)/cxreports-windows-arm64.exe

# The rules: static-program in the Makefile (shared with the fake, mk/fake.mk).
$(eval $(call static-program,cxreports,./cmd/cxreports,$(CLI_SRC)))

test-cli: $(BUILD)/cxreports $(DIST)/cxreports-linux-arm64
	@for f in $^; do \
		if readelf -l $$f | grep -q INTERP; then echo "test-cli: $$f is not static (it asks for a dynamic loader)" >&2; exit 1; fi; \
	done
	@readelf -h $(DIST)/cxreports-linux-arm64 | grep -q AArch64 || { echo "test-cli: dist/cxreports-linux-arm64 is not an arm64 program" >&2; exit 1; }
	@$(BUILD)/cxreports --help >/dev/null
	@echo "test-cli: build/cxreports and dist/cxreports-linux-{amd64,arm64} are static"
