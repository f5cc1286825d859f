# The pure-Go core, the fake server and its command, and the Go demo.
.PHONY: build-go test-go bench-go demo-go vet-go
build-go: $(BUILD)/cxfake
$(BUILD)/cxfake: $(shell find core cmd -name '*.go' 2>/dev/null) go.mod
	$(GO) build -o $@ ./cmd/cxfake
vet-go:
	@test -z "$$(gofmt -l core cmd examples/go)" || { echo "gofmt needed:"; gofmt -l core cmd examples/go; exit 1; }
	$(GO) vet ./core/... ./cmd/... ./examples/go/...
test-go: vet-go
	$(GO) test -race -count=1 ./core/... ./cmd/...
# Go benchmarks: a small JSON call on loopback, and a 200 MB PDF streamed to a file
# with its peak heap growth (peak-heap-MB, must stay under 32).
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...
demo-go: $(BUILD)/cxfake
	scripts/with-fake.sh $(GO) run ./examples/go out/demo-go.pdf
