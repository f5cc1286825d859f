#!/usr/bin/env bash
# Usage: scripts/wine/test-node.sh BUILD_DIR NODE.exe CXFAKE.exe TARBALL TEST_FILE...
# Runs Node test files (relative to bindings/node) with Windows Node under Wine (prefix
# from setup.sh) against the npm tarball installed for win32/x64 as a Windows user gets
# it (npm install --os=win32 --cpu=x64: koffi's win32 build, lib/win32-x64/cxreports.dll).
# The tests start their fakes themselves, as on Linux, from CXFAKE.exe: the fake built for
# Windows, since Windows Node cannot start a Linux program under Wine. Everything lives
# in the prefix's C:\cxtest-node. Node's own output goes to files (stdout on a Unix pipe
# fails with EBADF under Wine); the report is printed afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: test-node.sh BUILD_DIR NODE.exe CXFAKE.exe TARBALL TEST_FILE...}" && pwd)
node_exe=$2 fake_exe=$3 tgz=$4
shift 4
[ $# -gt 0 ] || { echo "test-node-windows: no test files given" >&2; exit 2; }
fail() { echo "test-node-windows: $*" >&2; exit 1; }

dir=$build/wine/prefix/drive_c/cxtest-node
rm -rf "$dir"
mkdir -p "$dir/test" "$dir/tmp"
cp "$node_exe" "$dir/node.exe"
cp "$fake_exe" "$dir/cxfake.exe"
(cd "$dir" && printf '{"name":"cxreports-windows-test","private":true}\n' >package.json &&
  npm install --os=win32 --cpu=x64 --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error "$tgz" >npm.log 2>&1) ||
  fail "npm install --os=win32 --cpu=x64 of $tgz failed: $(cat "$dir/npm.log")"
[ -f "$dir/node_modules/cxreports/lib/win32-x64/cxreports.dll" ] || fail "the tarball does not bundle lib/win32-x64/cxreports.dll"
ls "$dir"/node_modules/@koromix/koffi-win32-x64 >/dev/null 2>&1 || fail "npm did not install koffi's win32-x64 build"
# The test files and their helpers, beside the install; they load the package from
# CXREPORTS_NODE_PKG (test/pkg.js).
cp "$top"/bindings/node/test/{fake.js,pkg.js} "$top"/bindings/node/test/windows/wine-preload.js "$dir/test/"
win=()
for t in "$@"; do
  cp "$top/bindings/node/$t" "$dir/test/"
  win+=("C:\\cxtest-node\\test\\$(basename "$t")")
done

# A generous bound (the run takes about 35 s) so that a hang under Wine fails the run
# rather than stalling make test. The tests and the children they start reach the fake
# on loopback, never a proxy;
# NODE_OPTIONS hands the Wine preload (test/windows/wine-preload.js) to those children too.
set +e
env -u CXREPORTS_LIB -u CXREPORTS_NODE_TGZ -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY \
  no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost \
  CXFAKE='C:\cxtest-node\cxfake.exe' CXREPORTS_NODE_PKG='C:\cxtest-node\node_modules\cxreports' \
  TMP='C:\cxtest-node\tmp' TEMP='C:\cxtest-node\tmp' \
  NODE_OPTIONS='--require C:\cxtest-node\test\wine-preload.js' \
  timeout -k 10 900 "$here/run.sh" "$build" 'C:\cxtest-node\node.exe' --test --test-concurrency=1 \
  --test-reporter=tap --test-reporter-destination='C:\cxtest-node\report.tap' "${win[@]}" \
  >"$dir/stdout.txt" 2>"$dir/stderr.txt" </dev/null
rc=$?
set -e
cat "$dir/report.tap" 2>/dev/null | grep -E '^# (tests|pass|fail|cancelled|skipped|todo|duration_ms)|^not ok|^ *not ok' || true
if [ $rc -ne 0 ]; then
  cat "$dir/report.tap" "$dir/stderr.txt" >&2 2>/dev/null || true
  fail "Windows Node's test run exited $rc"
fi
grep -qE '^# pass [1-9]' "$dir/report.tap" || fail "no test passed: $(cat "$dir/report.tap")"
grep -qE '^# (fail|cancelled|skipped|todo) [1-9]' "$dir/report.tap" && fail "some tests did not pass (report above)"
version=$(sed -n 's/^ *"version": "\(.*\)",*$/\1/p' "$(dirname "$node_exe")/../package.json" 2>/dev/null | head -1)
echo "test-node-windows: $* pass under Wine with Windows Node ${version:-(version unknown)}"
