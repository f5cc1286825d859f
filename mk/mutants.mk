# make mutants (not part of make test; about 3 min): in a temporary copy of the
# tree, break one core behaviour at a time (a POST sent again after a cut, before
# or after its answer began; save_* without its rename; no Retry-After wait; the
# token left in messages; a 404 taken as a 200) and check that the Go tests of
# core and capi fail for each. Prints a table; fails if any mutant survives.
.PHONY: mutants
mutants:
	GO=$(GO) scripts/mutants.py
