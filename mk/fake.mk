# The fake server's program: build/cxfake, and the same static build shipped in dist/ for
# users without Go (a Python, Node, Java or C user who installed our wheel, tarball or
# jar): dist/cxfake-linux-{amd64,arm64} and dist/cxfake-windows-{amd64,arm64}.exe.
# The rules are static-program's (Makefile), as the CLI's (mk/cli.mk). The package
# (cxfake/) and its Go tests belong to mk/go.mk (test-go).
#   test-fake          readelf: the linux programs are static and of their architecture;
#                      scripts/check-fake.py: each one run (the arm64 one under
#                      qemu-user) prints its JSON line and lists workspaces with its token;
#                      go list: the fake imports nothing outside cxfake/ and cmd/cxfake/
#                      (FAKE_SRC below relies on it).
#   test-fake-windows  the x64 .exe does the same under Wine (mk/wine.mk); both .exe are
#                      PE images for their machine (the arm64 one gets this check only).
# Windows Node's tests (test-node-windows, mk/windows-tests.mk) start the x64 .exe too.
.PHONY: build-fake test-fake test-fake-windows
FAKE_SRC := $(shell find cxfake cmd/cxfake -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum
FAKE_DIST := $(DIST)/cxfake-linux-amd64 $(DIST)/cxfake-linux-arm64 \
	$(DIST)/cxfake-windows-amd64.exe $(DIST)/cxfake-windows-arm64.exe

all: build-fake
test: test-fake test-fake-windows
build-fake: $(BUILD)/cxfake $(FAKE_DIST)
$(eval $(call static-program,cxfake,./cmd/cxfake,$(FAKE_SRC)))

QEMU_ARM64 = $(shell command -v qemu-aarch64-static || command -v qemu-aarch64)
test-fake: $(DIST)/cxfake-linux-amd64 $(DIST)/cxfake-linux-arm64
	@for f in $^; do \
		if readelf -l $$f | grep -q INTERP; then echo "test-fake: $$f is not static (it asks for a dynamic loader)" >&2; exit 1; fi; \
	done
	@readelf -h $(DIST)/cxfake-linux-amd64 | grep -q 'X86-64' || { echo "test-fake: dist/cxfake-linux-amd64 is not an x86-64 program" >&2; exit 1; }
	@readelf -h $(DIST)/cxfake-linux-arm64 | grep -q AArch64 || { echo "test-fake: dist/cxfake-linux-arm64 is not an arm64 program" >&2; exit 1; }
	@deps=$$($(GO) list -deps ./cmd/cxfake) || exit 1; \
		other=$$(printf '%s\n' "$$deps" | grep '^github.com/cxclient/' | grep -v -e '/cxfake$$' -e '/cxfake/'); \
		[ -z "$$other" ] || { echo "test-fake: the fake now imports" $$other "- add its folder to FAKE_SRC (mk/fake.mk)" >&2; exit 1; }
	scripts/check-fake.py test-fake $(DIST)/cxfake-linux-amd64
	@[ -n "$(QEMU_ARM64)" ] || { echo "test-fake: qemu-aarch64 is not installed (apt-get install qemu-user-static)" >&2; exit 1; }
	scripts/check-fake.py test-fake $(QEMU_ARM64) $(DIST)/cxfake-linux-arm64

test-fake-windows: $(DIST)/cxfake-windows-amd64.exe $(DIST)/cxfake-windows-arm64.exe $(WINE_READY)
	scripts/check-pe.py $(DIST)/cxfake-windows-amd64.exe x64 exe
	scripts/check-pe.py $(DIST)/cxfake-windows-arm64.exe arm64 exe
	scripts/check-fake.py test-fake-windows $(WINE_RUN) $(DIST)/cxfake-windows-amd64.exe
