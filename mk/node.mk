# The Node.js binding (bindings/node): npm package `cxreports` on koffi.
#   build-node  npm ci, bundle build/libcxreports.so, `npm pack` -> dist/cxreports-<ver>.tgz
#   test-node   install that tarball into a fresh folder and run node --test against it
#   bench-node  this binding vs Node's fetch against the fake -> build/bench-node.md
#   demo-node   render a PDF from Node -> out/demo-node.pdf
.PHONY: build-node test-node bench-node bench-memory-node demo-node
NODE_DIR := bindings/node
NODE_PKG_VERSION := $(shell sed -n 's/^  "version": "\(.*\)",$$/\1/p' $(NODE_DIR)/package.json)
NODE_TGZ := $(DIST)/cxreports-$(NODE_PKG_VERSION).tgz
NODE_SRC := $(NODE_DIR)/package.json $(NODE_DIR)/index.js $(NODE_DIR)/index.mjs $(NODE_DIR)/index.d.ts \
	$(NODE_DIR)/README.md $(wildcard $(NODE_DIR)/lib/*.js)

build-node: $(NODE_TGZ)

# --ignore-scripts: koffi's prebuilt binary comes from its @koromix/koffi-<platform>
# optional dependency; its install script would only try to compile from source.
$(NODE_DIR)/node_modules/.package-lock.json: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

$(NODE_DIR)/libcxreports.so: $(BUILD)/libcxreports.so
	cp $< $@

$(NODE_TGZ): $(NODE_SRC) $(NODE_DIR)/libcxreports.so $(NODE_DIR)/node_modules/.package-lock.json
	@mkdir -p $(DIST)
	cd $(NODE_DIR) && npm pack --pack-destination $(DIST) --loglevel=error >/dev/null
	@tar tzf $@ | grep -qx 'package/libcxreports.so' || { echo "node: $@ does not bundle libcxreports.so" >&2; rm -f $@; exit 1; }

test-node: $(NODE_TGZ) $(BUILD)/cxfake
	CXFAKE=$(BUILD)/cxfake $(NODE_DIR)/scripts/test-installed.sh $(NODE_TGZ)

bench-node: $(NODE_DIR)/libcxreports.so $(NODE_DIR)/node_modules/.package-lock.json $(BUILD)/cxfake bench-memory-node
	@mkdir -p $(BUILD)
	env -u CXREPORTS_LIB CXFAKE=$(BUILD)/cxfake node $(NODE_DIR)/bench/bench.js $(BUILD)/bench-node.md

# Peak RSS of getPdf of a 1 GiB PDF into memory, as a multiple of its size (target <= 2x).
bench-memory-node: $(NODE_DIR)/libcxreports.so $(NODE_DIR)/node_modules/.package-lock.json $(BUILD)/cxfake
	@mkdir -p $(BUILD)
	env -u CXREPORTS_LIB CXFAKE=$(BUILD)/cxfake node $(NODE_DIR)/bench/memory-1g.js $(BUILD)/bench-memory-node.md

demo-node: $(NODE_DIR)/libcxreports.so $(NODE_DIR)/node_modules/.package-lock.json $(BUILD)/cxfake
	env -u CXREPORTS_LIB scripts/with-fake.sh node $(NODE_DIR)/examples/render-pdf.js $(OUT)/demo-node.pdf
