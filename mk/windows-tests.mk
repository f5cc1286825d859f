# The Windows packages, tested here under Wine (scripts/wine/, mk/wine.mk):
#   test-cli-windows   both .exe are PE images for their machine; the x64 one runs
#                      `workspaces` and a small CRLF batch to C:\ paths against build/cxfake.
# The arm64 images cannot run on this x64 host (Wine runs x64 only): they get the PE check.
.PHONY: test-windows test-cli-windows
test: test-windows
test-windows: test-cli-windows

test-cli-windows: $(DIST)/cxreports-windows-amd64.exe $(DIST)/cxreports-windows-arm64.exe $(BUILD)/cxfake $(WINE_READY)
	scripts/check-pe.py $(DIST)/cxreports-windows-amd64.exe x64 exe
	scripts/check-pe.py $(DIST)/cxreports-windows-arm64.exe arm64 exe
	scripts/wine/test-cli.sh $(BUILD) $(DIST)/cxreports-windows-amd64.exe
