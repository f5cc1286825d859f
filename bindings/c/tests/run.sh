#!/usr/bin/env bash
# Runs the C-level tests of libcxreports:
#   1. capi_test.c against build/cxfake, natively (every method, every bad input,
#      and input_test.c: what must be refused before anything is sent; render_batch's
#      concurrency "auto" timed against two more fakes with -render-slots 2 and 24);
#   2. the same program under valgrind memcheck (quick mode: every entry point, no
#      thread storm) - no invalid access, 0 bytes definitely lost; first,
#      vg_fault_test.c under the very same valgrind options shows that each run still
#      fails on a leak, an invalid read or a bad system call buffer in our C code;
#   3. header_check.cpp compiled as C++ with -Wall -Wextra -Werror, then run.
# Needs build/libcxreports.so and build/cxfake (make build-capi build-go).
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
build="$top/build"
here="$top/bindings/c/tests"
out="$build/c"
# shellcheck source=sources.sh
. "$here/sources.sh"
mkdir -p "$out"
CC=${CC:-cc}
CXX=${CXX:-c++}

for f in "$build/libcxreports.so" "$build/cxfake" "$build/cxreports.h"; do
  [ -e "$f" ] || { echo "run.sh: $f is missing; run 'make build-capi build-go' first" >&2; exit 2; }
done

cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -g -O1 -I"$build")
$CC "${cflags[@]}" -o "$out/capi_test" "${capi_test_sources[@]}" -L"$build" -lcxreports -lpthread -Wl,-rpath,"$build"
$CC "${cflags[@]}" -o "$out/vg_fault_test" "$here/vg_fault_test.c" -L"$build" -lcxreports -Wl,-rpath,"$build"
# The valgrind run uses the library built with -tags valgrind (Go runtime annotations).
vg="$build/valgrind"
if [ -e "$vg/libcxreports.so" ]; then
  $CC "${cflags[@]}" -o "$out/capi_test_vg" "${capi_test_sources[@]}" -L"$vg" -lcxreports -lpthread -Wl,-rpath,"$vg"
  $CC "${cflags[@]}" -o "$out/vg_fault_test_vg" "$here/vg_fault_test.c" -L"$vg" -lcxreports -Wl,-rpath,"$vg"
fi
$CXX -std=c++11 -Wall -Wextra -Werror -pedantic -g -I"$top/include" \
  -o "$out/header_check" "$here/header_check.cpp" -L"$build" -lcxreports -Wl,-rpath,"$build"


# Two fakes with a bounded render pool, for batch_auto_test.c (the native run
# only), started with the main fake's token. The main fake also serves the valgrind
# runs, whose client can stall for more than the fake's usual 30 s between dialing and
# writing a request on a loaded machine (seen: a render_batch POST read EOF there):
# it waits for request headers without a bound.
start_fake int -export-delay 200ms -job-delay 200ms -read-header-timeout 0
main_url=$url main_token=$token
start_fake slots2 -render-slots 2 -token "$main_token"
slots2=$fake_pid
export CAPI_TEST_SLOTS2_URL=$url
start_fake slots24 -render-slots 24 -token "$main_token"
slots24=$fake_pid
export CAPI_TEST_SLOTS24_URL=$url
url=$main_url token=$main_token

export CAPI_TEST_TMP="$tmp"
echo "== capi_test (native)"
# The library must write nothing to the host's stdout/stderr: the program's own
# output is exactly its one success line.
"$out/capi_test" "$url" "$token" >"$tmp/out.txt" 2>"$tmp/err.txt" || { cat "$tmp/out.txt" "$tmp/err.txt" >&2; exit 1; }
if [ -s "$tmp/err.txt" ] || [ "$(cat "$tmp/out.txt")" != "capi_test: all checks passed" ]; then
  echo "run.sh: unexpected output on stdout/stderr (the library must print nothing):" >&2
  cat "$tmp/out.txt" "$tmp/err.txt" >&2
  exit 1
fi
cat "$tmp/out.txt"
cat "$tmp/auto-timing.txt"
stop_fake "$slots2"
stop_fake "$slots24"
# ... and installs no signal handlers of its own: os/signal is not even linked in.
if (cd "$top" && ${GO:-go} list -deps ./capi | grep -qx os/signal); then
  echo "run.sh: libcxreports links os/signal; the library must not install signal handlers" >&2
  exit 1
fi

echo "== capi_test against a fake that sends GUID ids"
start_fake guid -ids guid -export-delay 50ms -job-delay 50ms
"$out/capi_test" "$url" "$token" guid
stop_fake "$fake_pid"
url=$main_url token=$main_token

echo "== header_check (C++)"
"$out/header_check"

# Two memcheck runs of the quick mode (every entry point, no thread storm):
#  a) the library built with -tags valgrind, whose Go runtime tells memcheck about
#     goroutine stacks and the Go heap: every invalid access fails the run
#     (go-runtime.supp lists the few Go-internal false positives);
#  b) the real library with full leak checking: 0 bytes definitely lost. Memcheck's
#     leak checker aborts on the annotated Go heap, so this run uses the plain
#     build and drops accesses made by Go code to its own memory (go-stacks.supp)
#     and the system calls Go code makes with it (go-syscalls.sh); accesses to C
#     memory were checked by run a.
if ! command -v valgrind >/dev/null; then
  echo "run.sh: valgrind is not installed (apt-get install valgrind)" >&2
  exit 1
fi
if ! [ -e "$vg/libcxreports.so" ]; then
  echo "run.sh: $vg/libcxreports.so is missing; run 'make build-capi-valgrind'" >&2
  exit 2
fi
# Go preempts goroutines asynchronously by signal (SIGURG), and its handler writes
# a register frame onto the goroutine stack in a way memcheck reports as an invalid
# access now and then; under valgrind, preemption happens at function calls only.
export GODEBUG="${GODEBUG:+$GODEBUG,}asyncpreemptoff=1"
"$here/go-syscalls.sh" >"$tmp/go-syscalls.supp"
vg_access=(valgrind --tool=memcheck --error-exitcode=1 --leak-check=no --quiet
  --suppressions="$here/go-runtime.supp")
# Definedness is not tracked in run b (--undef-value-errors=no): without the runtime's
# annotations memcheck cannot follow which bytes of the Go heap Go initialized, and now
# and then flags an envelope copied out of it as uninitialised when the C test reads it
# (seen in transport_test.c's hang-up path). Run a checks definedness with the
# annotations; run b is for leaks.
vg_leaks=(valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
  --undef-value-errors=no --show-leak-kinds=definite --quiet
  --suppressions="$here/go-stacks.supp" --suppressions="$tmp/go-syscalls.supp")

# fault_run RUN PROGRAM MODE WANT VALGRIND...: vg_fault_test in MODE under one run's
# valgrind command. WANT "clean": it must pass. Otherwise valgrind must fail it (exit
# 1, --error-exitcode; the program itself exits 0 after a fault) reporting WANT.
fault_run() {
  local run=$1 prog=$2 mode=$3 want=$4 rc=0
  shift 4
  "$@" "$prog" "$url" "$token" "$mode" >"$tmp/fault.txt" 2>&1 || rc=$?
  if [ "$want" = clean ]; then
    if [ "$rc" -ne 0 ]; then
      echo "run.sh: vg_fault_test $mode fails the $run run (exit $rc); it has no fault:" >&2
      cat "$tmp/fault.txt" >&2
      exit 1
    fi
  elif [ "$rc" -ne 1 ] || ! grep -qF "$want" "$tmp/fault.txt"; then
    echo "run.sh: the $run run let vg_fault_test's $mode through (exit $rc, want 1 and \"$want\"):" >&2
    echo "run.sh: its suppressions hide faults in our C code" >&2
    cat "$tmp/fault.txt" >&2
    exit 1
  fi
  echo "$run run, $mode: $want"
}
echo "== the valgrind runs catch faults in our C code (vg_fault_test.c)"
fault_run a "$out/vg_fault_test_vg" clean clean "${vg_access[@]}"
fault_run a "$out/vg_fault_test_vg" overread "Invalid read of size 1" "${vg_access[@]}"
fault_run a "$out/vg_fault_test_vg" syscall "Syscall param write(buf) points to unaddressable byte(s)" "${vg_access[@]}"
fault_run b "$out/vg_fault_test" clean clean "${vg_leaks[@]}"
fault_run b "$out/vg_fault_test" leak "definitely lost" "${vg_leaks[@]}"
fault_run b "$out/vg_fault_test" overread "Invalid read of size 1" "${vg_leaks[@]}"
fault_run b "$out/vg_fault_test" syscall "Syscall param write(buf) points to unaddressable byte(s)" "${vg_leaks[@]}"

echo "== capi_test under valgrind memcheck: invalid accesses (annotated Go runtime)"
"${vg_access[@]}" "$out/capi_test_vg" "$url" "$token" quick
echo "== capi_test under valgrind memcheck: leaks"
"${vg_leaks[@]}" "$out/capi_test" "$url" "$token" quick
echo "run.sh: all C tests passed"
