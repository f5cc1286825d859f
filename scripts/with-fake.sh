#!/usr/bin/env bash
# Usage: scripts/with-fake.sh COMMAND [ARGS...]
# Starts build/cxfake on a free loopback port, exports CXREPORTS_URL, CXREPORTS_TOKEN
# and CXREPORTS_WORKSPACE for COMMAND, runs it, and stops the fake server (by its pid).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
fake="$top/build/cxfake"
[ -x "$fake" ] || { echo "with-fake: $fake is missing; run 'make build-go' first" >&2; exit 2; }
info=$(mktemp)
"$fake" -port 0 -export-delay 300ms >"$info" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$info"' EXIT
for _ in $(seq 1 100); do [ -s "$info" ] && break; sleep 0.05; done
line=$(head -n1 "$info")
[ -n "$line" ] || { echo "with-fake: cxfake printed nothing" >&2; exit 1; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$line" "$1"; }
export CXREPORTS_URL=$(field url) CXREPORTS_TOKEN=$(field token) CXREPORTS_WORKSPACE=$(field workspace_id)
mkdir -p "$top/out"
"$@"
