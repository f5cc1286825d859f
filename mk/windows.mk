# The C ABI for Windows: build/windows-x64/ and build/windows-arm64/, each with
#   cxreports.dll          the library (Go c-shared, cross-compiled with zig's C compiler
#                          for the *-windows-gnu targets, stripped), the same exports as
#                          the Linux libcxreports.so (capi/cxreports.def lists them);
#   libcxreports.dll.a     its import library for MinGW (gcc/clang: -lcxreports);
#   cxreports.lib          its import library for MSVC (link.exe / cl), from the same .def;
# and the same header, build/cxreports.h. The platform code lives in files named for
# Windows (capi/sync_windows.c, capi/dispatch/inbox_windows.go,
# core/interrupt_windows.go); docs/contract.md says what the inbox descriptor and
# interrupt_fd are there.
# test-capi-windows: both DLLs are PE images of their machine (x64 0x8664, arm64 0xAA64)
# exporting exactly the .def, which is exactly the .so's cx_* symbols; the C test
# program is built for Windows with zig, linked through the MinGW import library, and
# run under Wine (mk/wine.mk) against the x64 DLL and build/cxfake on 127.0.0.1. The
# arm64 DLL cannot run here (Wine runs x64 programs only): it gets the checks.
.PHONY: build-windows test-capi-windows test-capi-windows-libs
WIN_PLATFORMS := windows-x64 windows-arm64
goarch_windows-x64 := amd64
goarch_windows-arm64 := arm64
zigtarget_windows-x64 := x86_64-windows-gnu
zigtarget_windows-arm64 := aarch64-windows-gnu
pemachine_windows-x64 := x64
pemachine_windows-arm64 := arm64
dllmachine_windows-x64 := i386:x86-64
dllmachine_windows-arm64 := arm64
WIN_DLLS := $(foreach p,$(WIN_PLATFORMS),$(BUILD)/$(p)/cxreports.dll)
WIN_IMPLIBS := $(foreach p,$(WIN_PLATFORMS),$(BUILD)/$(p)/libcxreports.dll.a $(BUILD)/$(p)/cxreports.lib)
ZIG = $(ZIGVENV)/bin/python -m ziglang

all: build-windows
build-windows: $(WIN_DLLS) $(WIN_IMPLIBS) $(BUILD)/cxreports.h
test-windows: test-capi-windows

$(BUILD)/windows-%/cxreports.dll: $(CAPI_SRC) $(ZIG_STAMP) scripts/check-pe.py
	@test -n "$(goarch_windows-$*)" || { echo "capi: no build for windows-$* (have: $(WIN_PLATFORMS))" >&2; exit 1; }
	@mkdir -p $(@D)/cgo
	CGO_ENABLED=1 GOOS=windows GOARCH=$(goarch_windows-$*) CC="$(ZIGCC) -target $(zigtarget_windows-$*)" \
		$(GO) build -buildmode=c-shared -trimpath -ldflags='-s -w' -o $(@D)/cgo/cxreports.dll ./capi
	scripts/check-pe.py $(@D)/cgo/cxreports.dll $(pemachine_windows-$*) dll
	mv -f $(@D)/cgo/cxreports.dll $@
# The import libraries name cxreports.dll, so a program linked with either loads the DLL
# by that name from its own directory or PATH.
$(BUILD)/windows-%/libcxreports.dll.a: capi/cxreports.def $(ZIG_STAMP)
	@mkdir -p $(@D)
	$(ZIG) dlltool -m $(dllmachine_windows-$*) -d $< -D cxreports.dll -l $@.tmp
	mv -f $@.tmp $@
$(BUILD)/windows-%/cxreports.lib: capi/cxreports.def $(ZIG_STAMP)
	@mkdir -p $(@D)
	$(ZIG) lib /def:$< /machine:$(pemachine_windows-$*) /out:$@.tmp
	mv -f $@.tmp $@

test-capi-windows-libs: $(WIN_DLLS) $(WIN_IMPLIBS) $(BUILD)/linux-x64/libcxreports.so
	@sed -n 's/^\t\(cx_[a-z_]*\)$$/\1/p' capi/cxreports.def | sort >$(BUILD)/windows-def.txt
	@nm -D --defined-only $(BUILD)/linux-x64/libcxreports.so | awk '$$3 ~ /^cx_/ {print $$3}' | sort | \
		diff -u $(BUILD)/windows-def.txt - >&2 || { echo "test-capi-windows: capi/cxreports.def and the .so's cx_* symbols differ (above)" >&2; exit 1; }
	@set -e; $(foreach p,$(WIN_PLATFORMS),\
		scripts/check-pe.py $(BUILD)/$(p)/cxreports.dll $(pemachine_$(p)) dll; \
		scripts/dll-exports.py $(BUILD)/$(p)/cxreports.dll | grep '^cx_' | diff -u $(BUILD)/windows-def.txt - >&2 || \
			{ echo "test-capi-windows: $(p)/cxreports.dll exports other cx_* names than capi/cxreports.def (above)" >&2; exit 1; }; \
		for lib in libcxreports.dll.a cxreports.lib; do \
			$(ZIG) lib /list $(BUILD)/$(p)/$$lib | grep -qx cxreports.dll || \
				{ echo "test-capi-windows: $(p)/$$lib is no import library of cxreports.dll" >&2; exit 1; }; \
		done;) true
	@echo "test-capi-windows: both DLLs are PE images of their machine and export capi/cxreports.def, the .so's cx_* symbols"

# The Go tests of core (with its internal packages) and capi/dispatch, compiled for
# Windows and run under Wine, all of them: the packages are those go list finds with
# tests, and scripts/wine-go-tests.sh runs what each binary lists (-test.list) and
# checks that every listed test ran and passed, and none skipped, so a new test (or
# package) runs here without being named. Among them the Windows code's own: core's
# replace_windows_test.go (a download renamed over a file another program holds
# open), dispatch's inbox tests against the loopback-TCP inbox of inbox_windows.go
# (the host waiting with WSAPoll), interrupt_fd as a SOCKET (the interrupt tests,
# their fd from interrupt_pipe_windows_test.go / interruptfd_windows_test.go).
# -tags wine adds each package's wine_windows_test.go, which takes in internal/winetest:
# Wine 8 lacks FileDispositionInformationEx, which Go's os.RemoveAll (t.TempDir's
# cleanup) asks for; it turns on Go's own fallback through go:linkname, hence
# -checklinkname=0 (test binaries only; never the DLL). A new package whose tests use
# t.TempDir needs that file too. CGO_ENABLED=0: no -race here (test-go and test-capi
# run the suites with it on Linux). About 45 s of Wine on 2 cores, most of it core's
# two TestAutoConcurrency tests (20 s, as on Linux).
WIN_GO_TEST_PKGS := ./core/... ./capi/dispatch
.PHONY: test-go-windows
test-windows: test-go-windows
test-go-windows: $(WINE_READY)
	@mkdir -p $(BUILD)/go-windows
	@set -e; pkgs=$$(GOOS=windows $(GO) list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}:{{.Name}}{{end}}' $(WIN_GO_TEST_PKGS)); \
	for p in $$pkgs; do \
		echo "GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) test -c -tags wine -ldflags=-checklinkname=0 -o $(BUILD)/go-windows/$${p#*:}.test.exe $${p%:*}"; \
		GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) test -c -tags wine -ldflags=-checklinkname=0 -o $(BUILD)/go-windows/$${p#*:}.test.exe $${p%:*}; \
	done; \
	failed=; for p in $$pkgs; do \
		scripts/wine-go-tests.sh $(BUILD) $(BUILD)/go-windows/$${p#*:}.test.exe || failed="$$failed $${p%:*}"; \
	done; \
	[ -z "$$failed" ] || { echo "test-go-windows: failed under Wine:$$failed" >&2; exit 1; }

test-capi-windows: test-capi-windows-libs $(BUILD)/windows-x64/cxreports.dll $(BUILD)/windows-x64/libcxreports.dll.a \
		$(BUILD)/cxfake $(BUILD)/cxreports.h $(WINE_READY)
	CC="$(ZIGCC) -target $(zigtarget_windows-x64)" bindings/c/tests/run-windows.sh
