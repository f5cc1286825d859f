# The Node.js binding (bindings/node): npm package `cxreports` on koffi.
#   build-node  npm ci, bundle the four libraries (lib/linux-x64/, lib/linux-arm64/ from
#               build/linux-*/, lib/win32-x64/cxreports.dll, lib/win32-arm64/cxreports.dll
#               from build/windows-*/), `npm pack` -> dist/cxreports-<ver>.tgz
#   test-node   install that tarball into a fresh folder and run node --test against it
#               (TypeScript: exact versions, see test/types.test.js; Node 18 and an arm64
#               Node under qemu-user: fetched from the npm registry into build/node-runtimes/)
#   check-latest-node  (in `make check-latest`, not in `make test`) the type checks of
#               test/types.test.js and test/official-types.test.js with the newest TypeScript and @types/node instead
#   bench-node  this binding vs Node's fetch against the fake, and openPdf vs savePdf -> build/bench-node.md
#   demo-node   render a PDF from Node -> out/demo-node.pdf
.PHONY: build-node test-node bench-node bench-memory-node demo-node check-latest check-latest-node
NODE_DIR := bindings/node
NODE_PKG_VERSION := $(shell sed -n 's/^  "version": "\(.*\)",$$/\1/p' $(NODE_DIR)/package.json)
NODE_TGZ := $(DIST)/cxreports-$(NODE_PKG_VERSION).tgz
NODE_SRC := $(NODE_DIR)/package.json $(NODE_DIR)/index.js $(NODE_DIR)/index.mjs $(NODE_DIR)/index.d.ts \
	$(NODE_DIR)/official.js $(NODE_DIR)/official.mjs $(NODE_DIR)/official.d.ts \
	$(NODE_DIR)/README.md $(wildcard $(NODE_DIR)/lib/*.js)

build-node: $(NODE_TGZ)

# --ignore-scripts: koffi's prebuilt binary comes from its @koromix/koffi-<platform>
# optional dependency; its install script would only try to compile from source.
$(NODE_DIR)/node_modules/.package-lock.json: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

# lib/native.js loads lib/<platform>-<arch>/libcxreports.so. Copied under a temporary
# name and renamed: a process that has the old library loaded keeps its file.
NODE_LIBS := $(foreach p,$(LIB_PLATFORMS),$(NODE_DIR)/lib/$(p)/libcxreports.so)
NODE_HOST_LIB := $(NODE_DIR)/lib/$(HOST_PLATFORM)/libcxreports.so
$(NODE_DIR)/lib/linux-%/libcxreports.so: $(BUILD)/linux-%/libcxreports.so
	@mkdir -p $(@D)
	cp $< $@.tmp && mv -f $@.tmp $@
# The Windows DLLs (mk/windows.mk), as lib/win32-<arch>/cxreports.dll: Node's
# process.platform is win32 there. Tested under Wine by test-node-windows.
NODE_WIN_LIBS := $(NODE_DIR)/lib/win32-x64/cxreports.dll $(NODE_DIR)/lib/win32-arm64/cxreports.dll
$(NODE_DIR)/lib/win32-%/cxreports.dll: $(BUILD)/windows-%/cxreports.dll
	@mkdir -p $(@D)
	cp $< $@.tmp && mv -f $@.tmp $@

# npm pack writes the tarball in place, so it packs into build/ and is renamed into dist/.
$(NODE_TGZ): $(NODE_SRC) $(NODE_LIBS) $(NODE_WIN_LIBS) $(NODE_DIR)/node_modules/.package-lock.json
	@mkdir -p $(DIST) $(BUILD)/npm-pack
	cd $(NODE_DIR) && npm pack --pack-destination $(BUILD)/npm-pack --loglevel=error >/dev/null
	@for p in $(LIB_PLATFORMS); do tar tzf $(BUILD)/npm-pack/$(@F) | grep -qx "package/lib/$$p/libcxreports.so" || \
		{ echo "node: $(@F) does not bundle lib/$$p/libcxreports.so" >&2; exit 1; }; done
	@for p in win32-x64 win32-arm64; do tar tzf $(BUILD)/npm-pack/$(@F) | grep -qx "package/lib/$$p/cxreports.dll" || \
		{ echo "node: $(@F) does not bundle lib/$$p/cxreports.dll" >&2; exit 1; }; done
	mv -f $(BUILD)/npm-pack/$(@F) $@

test-node: $(NODE_TGZ) $(BUILD)/cxfake
	CXFAKE=$(BUILD)/cxfake $(NODE_DIR)/scripts/test-installed.sh $(NODE_TGZ)

# Outside `make test`, whose TypeScript is pinned so that a release cannot turn it red
# overnight: does the package type-check with the newest TypeScript from the registry?
# Red here means: fix index.d.ts (or the tests) for it, then move the pin in package.json.
check-latest: check-latest-node
check-latest-node: $(NODE_TGZ) $(BUILD)/cxfake
	CXFAKE=$(BUILD)/cxfake CXREPORTS_TYPESCRIPT=latest $(NODE_DIR)/scripts/test-installed.sh $(NODE_TGZ) test/types.test.js test/official-types.test.js

# bench.js also runs bench/stream-vs-save.js: savePdf and openPdf piped to a file (200 MB,
# alternating rounds in one process), the median stream/save ratio against the issue's
# target (>= 0.90). A miss prints "bench-node: MISSED: ..." and does not fail the target,
# for bench-python's reasons (see mk/python.mk): noise beyond the margin on a shared VM,
# and `make bench` going on to the other figures.
bench-node: $(NODE_HOST_LIB) $(NODE_DIR)/node_modules/.package-lock.json $(BUILD)/cxfake bench-memory-node
	@mkdir -p $(BUILD)
	env -u CXREPORTS_LIB CXFAKE=$(BUILD)/cxfake node $(NODE_DIR)/bench/bench.js $(BUILD)/bench-node.md

# Peak RSS of getPdf of a 1 GiB PDF into memory, as a multiple of its size (target <= 2x).
bench-memory-node: $(NODE_HOST_LIB) $(NODE_DIR)/node_modules/.package-lock.json $(BUILD)/cxfake
	@mkdir -p $(BUILD)
	env -u CXREPORTS_LIB CXFAKE=$(BUILD)/cxfake node $(NODE_DIR)/bench/memory-1g.js $(BUILD)/bench-memory-node.md

demo-node: $(NODE_HOST_LIB) $(NODE_DIR)/node_modules/.package-lock.json $(BUILD)/cxfake
	env -u CXREPORTS_LIB scripts/with-fake.sh node $(NODE_DIR)/examples/render-pdf.js $(OUT)/demo-node.pdf
