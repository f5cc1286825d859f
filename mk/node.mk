.PHONY: build-node test-node bench-node demo-node
build-node:
test-node:
bench-node:
demo-node:
