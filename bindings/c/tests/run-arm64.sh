#!/usr/bin/env bash
# Runs the C tests against the shipped arm64 library (build/linux-arm64/libcxreports.so)
# under qemu-user, with build/cxfake running natively on loopback: dlopen_test.c loads it
# with dlopen as the Python and Node bindings do; capi_test.c (linked to it) checks every
# method, every bad input, the export/temporary-data/job flows (int and GUID ids), the
# transport and render_batch (all but the timing of concurrency "auto"), executed by
# the real aarch64 Go runtime and glibc.
# Needs: CC, a C compiler for aarch64 (make passes zig's: cc -target aarch64-linux-gnu.2.17);
# qemu-aarch64-static or qemu-aarch64 and an arm64 glibc in /usr/aarch64-linux-gnu
# (Debian: apt-get install qemu-user-static libc6-arm64-cross). A missing tool fails
# the run with that message; it is never skipped.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
build="$top/build"
here="$top/bindings/c/tests"
lib="$build/linux-arm64"
out="$build/c-arm64"
SYSROOT=${ARM64_SYSROOT:-/usr/aarch64-linux-gnu}
[ -n "${CC:-}" ] || { echo "run-arm64.sh: set CC to a C compiler for aarch64 (make test-capi-arm64 does)" >&2; exit 2; }
for f in "$lib/libcxreports.so" "$build/cxfake" "$build/cxreports.h"; do
  [ -e "$f" ] || { echo "run-arm64.sh: $f is missing; run 'make build-capi build-go' first" >&2; exit 2; }
done
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
[ -n "$qemu" ] || { echo "run-arm64.sh: qemu-aarch64 is not installed (apt-get install qemu-user-static libc6-arm64-cross)" >&2; exit 1; }
[ -e "$SYSROOT/lib/ld-linux-aarch64.so.1" ] || { echo "run-arm64.sh: no arm64 glibc in $SYSROOT (apt-get install libc6-arm64-cross)" >&2; exit 1; }

# shellcheck source=sources.sh
. "$here/sources.sh"
mkdir -p "$out"
# shellcheck disable=SC2086 # CC is a command with arguments
$CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -g -O1 -I"$build" \
  -o "$out/capi_test" "${capi_test_sources[@]}" \
  -L"$lib" -lcxreports -lpthread -Wl,-rpath,"$lib"
# shellcheck disable=SC2086
$CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O1 -o "$out/dlopen_test" "$here/dlopen_test.c" -ldl
for prog in capi_test dlopen_test; do
  machine=$(readelf -h "$out/$prog" | sed -n 's/^ *Machine: *//p')
  [ "$machine" = AArch64 ] || { echo "run-arm64.sh: $CC built a $machine $prog, not AArch64" >&2; exit 1; }
done

export CAPI_TEST_TMP="$tmp"
arm64() { "$qemu" -L "$SYSROOT" "$@"; }
# batch_kill_test.c re-executes capi_test as a child; the kernel cannot run an
# aarch64 program here by itself, so the child goes through the emulator too.
export CAPI_TEST_EXEC_PREFIX="$qemu -L $SYSROOT"

start_fake int -export-delay 200ms -job-delay 200ms
echo "== dlopen_test on linux-arm64 (qemu-user: $(basename "$qemu")): loaded as the bindings load it"
arm64 "$out/dlopen_test" "$lib/libcxreports.so" "$url" "$token"
echo "== capi_test on linux-arm64"
# Mode emulated: everything but the timing of render_batch's concurrency "auto",
# which would measure the emulator (the native run in run.sh does it).
arm64 "$out/capi_test" "$url" "$token" emulated >"$tmp/out.txt" 2>"$tmp/err.txt" || { cat "$tmp/out.txt" "$tmp/err.txt" >&2; exit 1; }
if [ -s "$tmp/err.txt" ] || [ "$(cat "$tmp/out.txt")" != "capi_test: all checks passed (emulated)" ]; then
  echo "run-arm64.sh: unexpected output on stdout/stderr (the library must print nothing):" >&2
  cat "$tmp/out.txt" "$tmp/err.txt" >&2
  exit 1
fi
cat "$tmp/out.txt"
start_fake guid -ids guid -export-delay 50ms -job-delay 50ms
echo "== capi_test on linux-arm64 against a fake that sends GUID ids"
arm64 "$out/capi_test" "$url" "$token" guid
echo "run-arm64.sh: all arm64 C tests passed"
