# The method surface has one source: the dispatcher's method table
# (capi/dispatch/methods.go). `make generate` rewrites what is generated from it
# (the method lists between the GENERATED markers of include/cxreports.h and
# docs/contract.md, and the Python async client's stub, aio.pyi, which its generator
# writes from the loaded package and so needs the library); test-surface fails when one of them is stale, or when a
# binding, the CLI's table or a binding's FFI declaration does not follow the
# table or the header, naming the file and the method (docs/adding-an-endpoint.md).
.PHONY: generate test-surface
generate: $(BUILD)/libcxreports.so
	$(GO) run ./tools/surface
	CXREPORTS_LIB=$(BUILD)/libcxreports.so python3 $(PY_DIR)/tools/gen_aio_stub.py
test: test-surface
test-surface:
	@test -z "$$(gofmt -l tools)" || { echo "gofmt needed:"; gofmt -l tools; exit 1; }
	$(GO) vet ./tools/...
	GO=$(GO) scripts/gotest.sh --must-pass TestRepositoryFollowsTheTable --must-pass TestNewMethodNamesEveryFileThatLacksIt \
		-count=1 ./tools/...
