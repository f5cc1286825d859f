#!/usr/bin/env bash
# Usage: scripts/wine-go-tests.sh BUILD_DIR PKG.test.exe
# Runs every test of a Go test binary built for Windows under Wine (the prefix of
# scripts/wine/setup.sh): the tests are those the binary lists itself (-test.list:
# its Test, Example and Fuzz functions; benchmarks are listed too but are not
# tests, and are left out), so a new test is run without naming it here. Fails
# unless each listed test ran and passed, and none skipped.
# The output goes to PKG.test.out / .err beside the binary (the list to
# PKG.test.list), and is shown on failure.
set -euo pipefail
build=${1:?usage: wine-go-tests.sh BUILD_DIR PKG.test.exe}
exe=${2:?usage: wine-go-tests.sh BUILD_DIR PKG.test.exe}
[ $# -eq 2 ] || { echo "usage: wine-go-tests.sh BUILD_DIR PKG.test.exe" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=${exe%.exe}.out err=${exe%.exe}.err list=${exe%.exe}.list
fail() { tr -d '\r' <"$out" >&2; tr -d '\r' <"$err" >&2; echo "wine-go-tests.sh: $(basename "$exe"): $1" >&2; exit 1; }
: >"$out"
"$here/wine/run.sh" "$build" "$exe" -test.list '.*' >"$list.tmp" 2>"$err" || fail "listing its tests failed"
tr -d '\r' <"$list.tmp" | grep -E '^(Test|Example|Fuzz)' >"$list" || true
rm -f "$list.tmp"
n=$(wc -l <"$list")
[ "$n" -gt 0 ] || fail "it lists no tests"
"$here/wine/run.sh" "$build" "$exe" -test.v -test.count=1 -test.timeout 10m >"$out" 2>"$err" || fail "the run failed"
# Grepped from a file, not from tr's pipe: grep -q stops at the first match, and
# under pipefail tr's SIGPIPE would fail the pipeline (and pass a skip).
tr -d '\r' <"$out" >"$out.txt"
! grep -q -- '^ *--- SKIP' "$out.txt" || fail "a test skipped"
missing=()
while read -r t; do
  grep -q -- "^--- PASS: $t " "$out.txt" || missing+=("$t")
done <"$list"
rm -f "$out.txt"
[ ${#missing[@]} -eq 0 ] || fail "these tests did not run and pass: ${missing[*]}"
echo "wine-go-tests.sh: $(basename "$exe"): all $n tests pass under Wine"
