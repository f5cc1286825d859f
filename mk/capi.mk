.PHONY: build-capi test-capi bench-capi demo-capi
build-capi:
test-capi:
bench-capi:
demo-capi:
