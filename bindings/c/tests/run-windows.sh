#!/usr/bin/env bash
# Runs the C test program against the Windows library (build/windows-x64/cxreports.dll)
# under Wine, with build/cxfake running natively on 127.0.0.1 (Wine shares the host's
# network): capi_test.c and its groups built for x86_64-windows-gnu with zig, linked
# through the MinGW import library build/windows-x64/libcxreports.dll.a, loading the DLL
# from the program's directory as a Windows program does. Mode emulated: everything
# but the timing of render_batch's concurrency "auto" (which would measure Wine), then
# the GUID-id flows. Left out on Windows, by name in capi_test.c's main: test_batch_kill
# (fork and SIGKILL of a child mid-batch); valgrind and dlopen_test.c (dlfcn) are Linux
# tools (Windows programs link the DLL through its import library instead). inbox_test.c checks the inbox's
# SOCKET (WSAPoll, recv, closesocket ends the inbox) and interrupt_fd as a SOCKET;
# capi_test.c's test_windows_paths, drive-letter and backslash paths (save_pdf,
# render_batch's out_dir and output, ca_bundle_file against a TLS fake).
# Last, the README's example bindings/c/render_pdf.c, linked once through each import
# library (MinGW libcxreports.dll.a, MSVC cxreports.lib), renders a PDF. loadlibrary_test.c
# loads the DLL at run time, FreeLibrary's it and calls again (the DLL pins itself).
# Needs: CC, a C compiler for x86_64-windows-gnu (make passes zig's), and the Wine
# prefix of scripts/wine/setup.sh (make test-capi-windows makes it: mk/wine.mk).
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
build="$top/build"
here="$top/bindings/c/tests"
lib="$build/windows-x64"
out="$build/c-windows"
[ -n "${CC:-}" ] || { echo "run-windows.sh: set CC to a C compiler for x86_64-windows-gnu (make test-capi-windows does)" >&2; exit 2; }
for f in "$lib/cxreports.dll" "$lib/libcxreports.dll.a" "$build/cxfake" "$build/cxreports.h" "$build/wine/ready"; do
  [ -e "$f" ] || { echo "run-windows.sh: $f is missing; run 'make build-windows build-go' and scripts/wine/setup.sh first" >&2; exit 2; }
done

# shellcheck source=sources.sh
. "$here/sources.sh"
mkdir -p "$out"
# The groups left out on Windows (see above) are not even compiled: POSIX headers.
win_sources=()
for f in "${capi_test_sources[@]}"; do
  case $(basename "$f") in batch_kill_test.c) ;; *) win_sources+=("$f") ;; esac
done
# shellcheck disable=SC2086 # CC is a command with arguments
$CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -g -O1 -I"$build" \
  -o "$out/capi_test.exe" "${win_sources[@]}" "$lib/libcxreports.dll.a" -lws2_32 -lpthread
"$top/scripts/check-pe.py" "$out/capi_test.exe" x64 exe
# A Windows program finds its DLLs in its own directory first.
cp -f "$lib/cxreports.dll" "$out/cxreports.dll"
rm -f "$out"/*.pdb "$out"/*.lib

# Wine sees the host's / as drive Z:; the test pastes its directory into JSON, so
# forward slashes (which Windows accepts too); test_windows_paths turns them around.
export CAPI_TEST_TMP="Z:$tmp"
win() { "$top/scripts/wine/run.sh" "$build" "$@"; }
# A TLS fake whose CA the client trusts through ca_bundle_file, a Windows path with a
# space and backslashes (capi_test.c's test_windows_paths).
start_fake int -export-delay 200ms -job-delay 200ms
main_url=$url main_token=$token
mkdir -p "$tmp/tls ca"
start_fake tls -tls -ca-file "$tmp/tls ca/ca.pem" -token "$token"
export CAPI_TEST_TLS_URL=$url
url=$main_url
echo "== capi_test.exe on windows-x64 (Wine)"
win "$out/capi_test.exe" "$url" "$token" emulated >"$tmp/out.txt" 2>"$tmp/err.txt" || { cat "$tmp/out.txt" "$tmp/err.txt" >&2; exit 1; }
# The C runtime writes CRLF line ends to a file; Wine's own notes (NNNN:fixme:...) may
# come on stderr and are not the library's.
if [ "$(tr -d '\r' <"$tmp/out.txt")" != "capi_test: all checks passed (emulated)" ] ||
  tr -d '\r' <"$tmp/err.txt" | grep -v '^[0-9a-f]*:\(fixme\|err\|warn\|trace\):' | grep -q .; then
  echo "run-windows.sh: unexpected output on stdout/stderr (the library must print nothing):" >&2
  cat "$tmp/out.txt" "$tmp/err.txt" >&2
  exit 1
fi
cat "$tmp/out.txt"
start_fake guid -ids guid -export-delay 50ms -job-delay 50ms
echo "== capi_test.exe on windows-x64 (Wine) against a fake that sends GUID ids"
win "$out/capi_test.exe" "$url" "$token" guid

# The README's C example, built for Windows twice: through the MinGW import library
# and through the MSVC one (cxreports.lib, linked here by zig's lld as link.exe would),
# each renders a PDF under Wine next to its copy of the DLL.
url=$main_url token=$main_token
for implib in libcxreports.dll.a cxreports.lib; do
  exe="$out/render_pdf-${implib%%.*}.exe"
  # shellcheck disable=SC2086
  $CC -std=c11 -Wall -Wextra -Werror -O2 -I"$build" -o "$exe" "$top/bindings/c/render_pdf.c" "$lib/$implib"
  "$top/scripts/check-pe.py" "$exe" x64 exe
  pdf="$tmp/render-${implib%%.*}.pdf"
  echo "== render_pdf.exe linked through $implib (Wine)"
  CXREPORTS_URL=$url CXREPORTS_TOKEN=$token CXREPORTS_WORKSPACE=1 win "$exe" "Z:$pdf" >"$tmp/render.txt" 2>&1 ||
    { cat "$tmp/render.txt" >&2; exit 1; }
  [ "$(head -c 5 "$pdf")" = "%PDF-" ] && tail -c 7 "$pdf" | grep -q '%%EOF' ||
    { echo "run-windows.sh: render_pdf.exe ($implib) wrote no complete PDF to $pdf" >&2; exit 1; }
  echo "render_pdf.exe ($implib): $(wc -c <"$pdf") bytes of PDF"
done

# Loaded with LoadLibrary and unloaded with FreeLibrary, as koffi does when a worker
# thread ends: the library must stay mapped (capi/pin_windows.c) and keep answering.
# shellcheck disable=SC2086
$CC -std=c11 -Wall -Wextra -Werror -O1 -o "$out/loadlibrary_test.exe" "$here/loadlibrary_test.c"
echo "== loadlibrary_test.exe (Wine)"
win "$out/loadlibrary_test.exe" cxreports.dll "$url" "$token" >"$tmp/loadlib.txt" 2>&1 ||
  { cat "$tmp/loadlib.txt" >&2; exit 1; }
tr -d '\r' <"$tmp/loadlib.txt" | grep '^loadlibrary_test: pinned'
rm -f "$out"/*.pdb "$out"/*.lib
echo "run-windows.sh: all Windows C tests passed"
