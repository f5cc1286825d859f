# The tests' own check (scripts/testlint.py): no Go, pytest or node test without an
# assertion, and no skip anywhere in the tree: the README promises that make test
# runs every test, so a test whose tool is missing fails and names what to install.
# Its own tests (scripts/test_testlint.py: a sample of each kind in a temporary
# folder) run first, so a lint that stopped seeing a kind fails here too.
.PHONY: test-testlint
test: test-testlint
test-testlint:
	python3 scripts/test_testlint.py
	python3 scripts/testlint.py .
