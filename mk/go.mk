# The pure-Go core, the fake server and its command.
.PHONY: build-go test-go bench-go demo-go vet
build-go: $(BUILD)/cxfake
$(BUILD)/cxfake: $(shell find core cmd -name '*.go' 2>/dev/null) go.mod
	$(GO) build -o $@ ./cmd/cxfake
vet:
	$(GO) vet ./core/... ./cmd/...
test-go: vet
	$(GO) test -race -count=1 ./core/... ./cmd/...
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...
demo-go: $(BUILD)/cxfake
	scripts/with-fake.sh $(GO) run ./examples/go out/demo-go.pdf
