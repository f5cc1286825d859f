# make test-install: the README's way to a C program on the installed library, run as a
# user runs it: its `make install PREFIX=$HOME/.local` block, exactly as printed, with
# HOME a fresh temporary folder, the program it compiles run against build/cxfake, and
# the README's C fragment compiled against that prefix (bindings/c/tests/install.sh).
# Part of `make test`; needs cc, make and pkg-config.
.PHONY: test-install
test: test-install
# Phony prerequisites only: this fragment is read before the ones that name the files.
test-install: build-capi build-go
	bindings/c/tests/install.sh
