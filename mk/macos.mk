# macOS, on paper: linking the Go c-shared library for macOS needs Apple's
# CoreFoundation and Security frameworks (and libresolv), which zig does not ship, and
# nothing here runs a Mach-O; docs/macos.md says what a Mac needs (`make lib-macos` there).
# test-capi-macos, part of `make test`: everything of the library compiles for macOS
# arm64 with zig - every C file of capi/ (stackbound_linux.c is Linux's alone) and all
# the Go code, through cgo - as a static archive, which needs no frameworks to make.
.PHONY: test-capi-macos lib-macos
test: test-capi-macos
test-capi-macos: $(BUILD)/macos-check/libcxreports.a
$(BUILD)/macos-check/libcxreports.a: $(CAPI_SRC) $(ZIG_STAMP)
	@mkdir -p $(@D)
	CGO_ENABLED=1 GOOS=darwin GOARCH=arm64 CC="$(ZIGCC) -target aarch64-macos" \
		$(GO) build -buildmode=c-archive -trimpath -o $@.tmp ./capi
	rm -f $(@D)/*.h
	mv -f $@.tmp $@
	@echo "test-capi-macos: capi (C and Go) compiles for aarch64-macos"

# On a Mac with Xcode's command-line tools (clang, the SDK's frameworks) and Go 1.26:
# build/macos/libcxreports.dylib for the Mac's own architecture.
lib-macos:
	@test "$$(uname -s)" = Darwin || { echo "lib-macos: run this on a Mac (docs/macos.md)" >&2; exit 1; }
	@mkdir -p $(BUILD)/macos
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath -ldflags='-s -w -extldflags=-Wl,-install_name,@rpath/libcxreports.dylib' \
		-o $(BUILD)/macos/libcxreports.dylib ./capi
	rm -f $(BUILD)/macos/libcxreports.h
	cp include/cxreports.h $(BUILD)/macos/cxreports.h
