# The Python binding (bindings/python): a ctypes package over build/libcxreports.so.
# Its tools (pytest, the official client for the wire-conformance tests, boto3 and moto
# for the stream-to-S3 test (moto serves S3 in-process), the
# benchmark, setuptools/wheel) live in a venv under build/, so CI needs nothing extra.
.PHONY: python build-python test-python bench-python bench-memory-python demo-python
PY_DIR := bindings/python
PYVENV := $(BUILD)/pyvenv
PY := $(PYVENV)/bin/python
PY_TOOLS := pytest cxreports-api-client==0.0.5 requests 'setuptools>=70.1' wheel boto3==1.44.18 moto==5.2.6 pyflakes==3.4.0

# Rebuilt when this file changes, so a new tool reaches an existing build/ too.
$(PYVENV)/.tools: mk/python.mk
	python3 -m venv $(PYVENV)
	$(PY) -m pip install -q --disable-pip-version-check $(PY_TOOLS)
	touch $@

# Two wheels, one per library (mk/capi.mk), tagged for the glibc 2.17 baseline those are
# built against, and named as PyPI wants them:
#   dist/cxreports-<v>-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#   dist/cxreports-<v>-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.whl
# Each is built from a staging copy of the package (bindings/python/tools/build-wheel.sh),
# so the source tree keeps the host's library in cxreports/ for the in-tree tests.
PY_VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' $(PY_DIR)/pyproject.toml)
PY_SRC := $(PY_DIR)/pyproject.toml $(PY_DIR)/setup.py $(PY_DIR)/README.md $(PY_DIR)/tools/build-wheel.sh \
	$(wildcard $(PY_DIR)/cxreports/*.py $(PY_DIR)/cxreports/*.pyi) $(PY_DIR)/cxreports/py.typed
wheeltag_linux-x64 := manylinux_2_17_x86_64.manylinux2014_x86_64
wheeltag_linux-arm64 := manylinux_2_17_aarch64.manylinux2014_aarch64
PY_WHEELS := $(foreach p,$(LIB_PLATFORMS),$(DIST)/cxreports-$(PY_VERSION)-py3-none-$(wheeltag_$(p)).whl)
# And two for Windows, each carrying a DLL of mk/windows.mk as cxreports/cxreports.dll:
#   dist/cxreports-<v>-py3-none-win_amd64.whl, dist/cxreports-<v>-py3-none-win_arm64.whl
# No Windows Python can be had here, so they are built and checked (tools/check_wheels.py:
# tag, contents, the DLL's PE machine), not run; their DLL is the one the C and Node
# tests drive under Wine, and the loader's Windows branches run on Linux in
# tests/test_windows_paths.py.
PY_WIN_PLATFORMS := windows-x64 windows-arm64
wheeltag_windows-x64 := win_amd64
wheeltag_windows-arm64 := win_arm64
PY_WIN_WHEELS := $(foreach p,$(PY_WIN_PLATFORMS),$(DIST)/cxreports-$(PY_VERSION)-py3-none-$(wheeltag_$(p)).whl)

python: build-python
build-python: $(PY_WHEELS) $(PY_WIN_WHEELS) $(PY_DIR)/cxreports/libcxreports.so

$(PY_DIR)/cxreports/libcxreports.so: $(BUILD)/libcxreports.so
	cp $< $@.tmp && mv -f $@.tmp $@

define PY_WHEEL_RULE
$(DIST)/cxreports-$(PY_VERSION)-py3-none-$(wheeltag_$(1)).whl: $(BUILD)/$(1)/libcxreports.so $(PY_SRC) $(PYVENV)/.tools
	$(PY_DIR)/tools/build-wheel.sh $(PY) $(BUILD)/$(1)/libcxreports.so $(wheeltag_$(1)) $(BUILD)/pywheel/$(1) $$@
endef
$(foreach p,$(LIB_PLATFORMS),$(eval $(call PY_WHEEL_RULE,$(p))))
define PY_WIN_WHEEL_RULE
$(DIST)/cxreports-$(PY_VERSION)-py3-none-$(wheeltag_$(1)).whl: $(BUILD)/$(1)/cxreports.dll $(PY_SRC) $(PYVENV)/.tools
	$(PY_DIR)/tools/build-wheel.sh $(PY) $(BUILD)/$(1)/cxreports.dll $(wheeltag_$(1)) $(BUILD)/pywheel/$(1) $$@
endef
$(foreach p,$(PY_WIN_PLATFORMS),$(eval $(call PY_WIN_WHEEL_RULE,$(p))))

# Each wheel's name carries a manylinux tag and `auditwheel show` agrees with it: the
# library needs nothing newer than the tag allows and only libraries the policy lists.
AUDITWHEEL_VERSION := 6.8.2
$(PYVENV)/.auditwheel-$(AUDITWHEEL_VERSION): $(PYVENV)/.tools
	$(PY) -m pip install -q --disable-pip-version-check auditwheel==$(AUDITWHEEL_VERSION)
	touch $@
# pyflakes over every Python file of ours: an undefined name in a branch no test takes
# (a dead helper that called ThreadPoolExecutor without importing it went unnoticed),
# unused imports. It reads the code only, so it costs about a second.
.PHONY: test-python-wheels test-python-lint
test-python: test-python-lint
test-python-lint: $(PYVENV)/.tools
	$(PY) -m pyflakes $(PY_DIR)/cxreports $(PY_DIR)/tests $(PY_DIR)/bench $(PY_DIR)/tools $(PY_DIR)/setup.py scripts tools
test-python: test-python-wheels
test-python-wheels: $(PY_WHEELS) $(PY_WIN_WHEELS) $(PYVENV)/.auditwheel-$(AUDITWHEEL_VERSION)
	$(PY) $(PY_DIR)/tools/check_wheels.py $(PY_WHEELS) $(PY_WIN_WHEELS)

# The suite tests the library make built (the package's copy of build/libcxreports.so),
# whatever CXREPORTS_LIB the caller's environment holds; tests/conftest.py drops it too,
# for a pytest started by hand, and sets no_proxy for 127.0.0.1 and localhost. The
# README's ```python fake block starts the shipped dist/cxfake-linux-amd64 (mk/fake.mk).
test-python: build-python build-go $(DIST)/cxfake-linux-amd64
	cd $(PY_DIR) && env -u CXREPORTS_LIB CXFAKE=$(BUILD)/cxfake $(PY) -m pytest -q -p no:cacheprovider tests

# bench.py also puts save_pdf and open_pdf copied to a file (200 MB, rotating rounds)
# side by side and checks the issue's target on the median stream/save ratio (>= 0.90).
# A miss prints "bench-python: MISSED: ..." but does not fail the target: single rounds
# on the shared 2-core VM swing by more than the 10% margin, and a failing bench-python
# would stop `make bench` before the other bindings' figures are taken; the figure is
# there to be read beside the others, the way bench-go reports its MB/s.
bench-python: build-python build-go bench-memory-python
	$(PY) $(PY_DIR)/bench/bench.py --fake $(BUILD)/cxfake --out $(BUILD)/bench-python.md

# Peak RSS of get_pdf of a 1 GiB PDF into memory, as a multiple of its size (target <= 2x).
bench-memory-python: build-python build-go
	$(PY) $(PY_DIR)/bench/memory_1g.py --fake $(BUILD)/cxfake --out $(BUILD)/bench-memory-python.md

demo-python: build-python build-go
	PYTHONPATH=$(CURDIR)/$(PY_DIR) CXREPORTS_LIB=$(BUILD)/libcxreports.so \
		scripts/with-fake.sh $(PY) $(PY_DIR)/examples/demo.py out/demo-python.pdf
