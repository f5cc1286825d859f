#!/usr/bin/env bash
# Usage: scripts/wine/test-cli.sh BUILD_DIR CLI.exe
# The Windows CLI under Wine (prefix from setup.sh) against build/cxfake on 127.0.0.1
# (Wine shares the host's network): `workspaces` lists the fake's workspaces, and a small
# batch runs the way a Windows user writes it: the manifest saved with a byte order mark
# and CRLF line ends, one
# output named with a backslash, the manifest, --out and --results given as C:\ paths.
# The outputs are then read on the host side of the prefix's drive C. A second run of the
# same batch skips every item (resume works with Windows paths and renames).
set -euo pipefail
build=$(cd "${1:?usage: test-cli.sh BUILD_DIR CLI.exe}" && pwd)
exe=${2:?usage: test-cli.sh BUILD_DIR CLI.exe}
here=$(cd "$(dirname "$0")" && pwd)
# Bounded, so that a hang under Wine fails the test instead of stalling make test.
run() { timeout -k 10 120 "$here/run.sh" "$build" "$@"; }
fail() { echo "test-cli-windows: $*" >&2; exit 1; }

# The test's folder is C:\cxtest-cli in the prefix: a path with a drive letter.
drive_c=$build/wine/prefix/drive_c
dir=$drive_c/cxtest-cli
rm -rf "$dir"
mkdir -p "$dir"
cp "$exe" "$dir/cxreports.exe"

"$build/cxfake" -port 0 >"$dir/fake.json" 2>"$dir/fake.log" &
fake=$!
trap 'kill "$fake" 2>/dev/null || true; wait "$fake" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$dir/fake.json" ] && break; sleep 0.05; done
line=$(head -n1 "$dir/fake.json")
[ -n "$line" ] || fail "cxfake printed nothing"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$line" "$1"; }
export CXREPORTS_URL=$(field url) CXREPORTS_TOKEN=$(field token) CXREPORTS_WORKSPACE=$(field workspace_id)

# workspaces: the fake's list, as JSON, on stdout (a file: see run.sh).
run 'C:\cxtest-cli\cxreports.exe' workspaces >"$dir/workspaces.out" 2>"$dir/workspaces.err" ||
  fail "workspaces exited $?: $(cat "$dir/workspaces.err")"
python3 - "$dir/workspaces.out" <<'PY' || fail "workspaces printed no list with the fake's 'main' workspace: $(head -c 300 "$dir/workspaces.out")"
import json, sys
codes = [w["code"] for w in json.load(open(sys.argv[1]))]
sys.exit(0 if "main" in codes else 1)
PY

# The batch as Notepad saves it: a UTF-8 byte order mark and CRLF line ends; a/ and sub\
# outputs; a report by id and one by code.
{ printf '\xef\xbb\xbf'; printf '%s\r\n' \
  '{"report": 160, "output": "a.pdf"}' \
  '{"report": "invoice", "output": "sub/b.pdf", "params": {"n": 1}}' \
  '{"report": 161, "output": "sub\\c.pdf"}'; } >"$dir/manifest.jsonl"
grep -c $'\r$' "$dir/manifest.jsonl" | grep -qx 3 || fail "the manifest was not written with CRLF line ends"
[ "$(head -c 3 "$dir/manifest.jsonl" | od -An -tx1 | tr -d " ")" = efbbbf ] || fail "the manifest does not start with a byte order mark"
batch() {
  run 'C:\cxtest-cli\cxreports.exe' batch 'C:\cxtest-cli\manifest.jsonl' --out 'C:\cxtest-cli\out' \
    --results 'C:\cxtest-cli\results.jsonl' --concurrency 2 >"$dir/batch.out" 2>"$dir/batch.err"
}
batch || fail "batch exited $?: $(cat "$dir/batch.err")"
for f in a.pdf sub/b.pdf sub/c.pdf; do
  [ "$(head -c 5 "$dir/out/$f" 2>/dev/null)" = "%PDF-" ] || fail "batch did not write a PDF at C:\\cxtest-cli\\out\\$f: $(cat "$dir/batch.err")"
done
python3 - "$dir/results.jsonl" ok <<'PY' || fail "results: $(cat "$dir/results.jsonl")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if [r["status"] for r in rows] == [sys.argv[2]] * 3 else 1)
PY
# No temporary file is left beside the outputs.
left=$(find "$dir/out" -type f ! -name '*.pdf')
[ -z "$left" ] || fail "batch left files beside its outputs: $left"

batch || fail "second batch exited $?: $(cat "$dir/batch.err")"
python3 - "$dir/results.jsonl" skipped <<'PY' || fail "second run did not skip every item: $(cat "$dir/results.jsonl")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if [r["status"] for r in rows] == [sys.argv[2]] * 3 else 1)
PY
rm -rf "$dir"
echo "test-cli-windows: $(basename "$exe") under Wine: workspaces and a 3-item BOM+CRLF batch to C:\\ paths, resumed"
