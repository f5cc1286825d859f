#!/usr/bin/env bash
# Usage: scripts/gotest.sh [--must-pass TestName]... [go test flags and packages]
#
# Runs go test -v with the given flags and packages, and fails if any test skips
# ("--- SKIP" in the verbose output): make test promises that every test runs, so a
# test whose tool is missing must fail and name what to install, not skip. With
# --must-pass, it also fails unless each named test reported "--- PASS" (a -run
# pattern that matches nothing, or a build tag that leaves the test out, would
# otherwise pass in silence).
#
# The verbose log goes to a temporary file. On success only the package lines are
# printed; on failure the whole log is, less the "=== RUN" lines.
set -uo pipefail
GO=${GO:-go}
must=()
while [ $# -gt 0 ] && [ "$1" = --must-pass ]; do
  must+=("$2")
  shift 2
done
log=$(mktemp "${TMPDIR:-/tmp}/gotest.XXXXXX")
trap 'rm -f "$log"' EXIT

"$GO" test -v "$@" >"$log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
  grep -Ev '^=== (RUN|PAUSE|CONT|NAME)' "$log"
  echo "gotest: go test $* failed" >&2
  exit $rc
fi
grep -E '^(ok|FAIL|\?) ' "$log"

fail=0
skips=$(grep -E '^\s*--- SKIP: ' "$log")
if [ -n "$skips" ]; then
  # Show each skip with the reason the test gave (go test -v prints it just before).
  grep -E -B3 '^\s*--- SKIP: ' "$log" | grep -Ev '^(=== |--$|\s*--- PASS)' >&2
  echo "gotest: $(grep -cE '^\s*--- SKIP: ' "$log") skipped test(s); no test may skip: make it fail and name what to install" >&2
  fail=1
fi
for name in "${must[@]}"; do
  if ! grep -qE "^\s*--- PASS: ${name} " "$log"; then
    echo "gotest: $name did not run (go test $*)" >&2
    fail=1
  fi
done
exit $fail
