# The Python binding (bindings/python): a ctypes package over build/libcxreports.so.
# Its tools (pytest, the official client for the wire-conformance tests and the
# benchmark, setuptools/wheel) live in a venv under build/, so CI needs nothing extra.
.PHONY: python build-python test-python bench-python bench-memory-python demo-python
PY_DIR := bindings/python
PYVENV := $(BUILD)/pyvenv
PY := $(PYVENV)/bin/python
PY_TOOLS := pytest cxreports-api-client==0.0.5 requests 'setuptools>=70.1' wheel

$(PYVENV)/.tools:
	python3 -m venv $(PYVENV)
	$(PY) -m pip install -q --disable-pip-version-check $(PY_TOOLS)
	touch $@

python: build-python
build-python: build-capi $(PYVENV)/.tools
	cp $(BUILD)/libcxreports.so $(PY_DIR)/cxreports/libcxreports.so
	rm -rf $(PY_DIR)/build $(DIST)/cxreports-*.whl
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w $(DIST) $(PY_DIR)
	rm -rf $(PY_DIR)/build $(PY_DIR)/cxreports.egg-info
	@ls $(DIST)/cxreports-*.whl

test-python: build-python build-go
	cd $(PY_DIR) && CXFAKE=$(BUILD)/cxfake $(PY) -m pytest -q -p no:cacheprovider tests

bench-python: build-python build-go bench-memory-python
	$(PY) $(PY_DIR)/bench/bench.py --fake $(BUILD)/cxfake --out $(BUILD)/bench-python.md

# Peak RSS of get_pdf of a 1 GiB PDF into memory, as a multiple of its size (target <= 2x).
bench-memory-python: build-python build-go
	$(PY) $(PY_DIR)/bench/memory_1g.py --fake $(BUILD)/cxfake --out $(BUILD)/bench-memory-python.md

demo-python: build-python build-go
	PYTHONPATH=$(CURDIR)/$(PY_DIR) CXREPORTS_LIB=$(BUILD)/libcxreports.so \
		scripts/with-fake.sh $(PY) $(PY_DIR)/examples/demo.py out/demo-python.pdf
