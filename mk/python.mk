.PHONY: build-python test-python bench-python demo-python
build-python:
test-python:
bench-python:
demo-python:
