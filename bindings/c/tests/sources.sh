# What run.sh and run-arm64.sh share: the source files of capi_test (capi_test.c holds
# main, the others add test groups (check.h declares them) and the shared helpers), and
# the fakes they start. Sourced after $build is set.
# shellcheck shell=bash
capi_test_sources=("$here/capi_test.c" "$here/transport_test.c" "$here/flows_test.c" "$here/batch_test.c"
  "$here/batch_kill_test.c" "$here/batch_auto_test.c" "$here/input_test.c" "$here/stream_test.c" "$here/inbox_stream_test.c" "$here/inbox_test.c" "$here/check.c")

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
# start_fake NAME FLAGS...: starts build/cxfake on a free port; its first stdout line
# is JSON with url and token, which set url, token and fake_pid (stop_fake stops it).
start_fake() {
  local name=$1; shift
  "$build/cxfake" -port 0 "$@" >"$tmp/$name.json" 2>"$tmp/$name.err" &
  fake_pid=$!
  pids+=("$fake_pid")
  for _ in $(seq 1 200); do [ -s "$tmp/$name.json" ] && break; sleep 0.05; done
  local line; line=$(head -n1 "$tmp/$name.json")
  url=$(printf '%s' "$line" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
  token=$(printf '%s' "$line" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$url" ] && [ -n "$token" ] || { echo "$(basename "$0"): cannot parse cxfake's first line: $line $(cat "$tmp/$name.err")" >&2; exit 1; }
}
# stop_fake PID stops one and forgets its pid, so cleanup never signals a reused pid.
stop_fake() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local keep=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  pids=("${keep[@]}")
}
