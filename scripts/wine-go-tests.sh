#!/usr/bin/env bash
# Usage: scripts/wine-go-tests.sh BUILD_DIR PKG.test.exe TestName...
# Runs the named tests of a Go test binary built for Windows under Wine (the prefix of
# scripts/wine/setup.sh) and fails unless each of them ran and passed, and none skipped.
# The output goes to PKG.test.out / .err beside the binary, and is shown on failure.
set -euo pipefail
build=${1:?usage: wine-go-tests.sh BUILD_DIR PKG.test.exe TestName...}
exe=${2:?usage: wine-go-tests.sh BUILD_DIR PKG.test.exe TestName...}
shift 2
[ $# -ge 1 ] || { echo "wine-go-tests.sh: name the tests to run" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
pattern="^($(IFS='|'; echo "$*"))\$"
out=${exe%.exe}.out err=${exe%.exe}.err
fail() { tr -d '\r' <"$out" >&2; tr -d '\r' <"$err" >&2; echo "wine-go-tests.sh: $(basename "$exe"): $1" >&2; exit 1; }
"$here/wine/run.sh" "$build" "$exe" -test.run "$pattern" -test.v -test.count=1 >"$out" 2>"$err" || fail "the run failed"
! tr -d '\r' <"$out" | grep -q -- '^--- SKIP' || fail "a test skipped"
for t in "$@"; do
  tr -d '\r' <"$out" | grep -q -- "^--- PASS: $t " || fail "$t did not run and pass"
done
echo "wine-go-tests.sh: $(basename "$exe"): $# tests pass under Wine: $*"
