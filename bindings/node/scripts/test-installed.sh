#!/usr/bin/env bash
# Usage: scripts/test-installed.sh TARBALL [TEST_FILE...]
# Installs the npm tarball into a fresh temporary folder, as a user would, and runs the
# node --test suite (or the test files given, relative to bindings/node) against that
# installed copy (its bundled lib/<platform>-<arch>/libcxreports.so, no CXREPORTS_LIB),
# with build/cxfake as the server. Removes the folder afterwards. The tests get the
# tarball too (CXREPORTS_NODE_TGZ): types.test.js installs it into a fresh TypeScript
# project of its own, runtimes.test.js for an arm64 Node.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tgz=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$tgz" ] || { echo "test-installed: $1 does not exist; run 'make build-node'" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxreports-node-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
printf '{"name":"cxreports-install-test","private":true}\n' >package.json
npm install --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error "$tgz" >/dev/null
pkg="$tmp/node_modules/cxreports"
for f in linux-x64/libcxreports.so linux-arm64/libcxreports.so win32-x64/cxreports.dll win32-arm64/cxreports.dll; do
  [ -f "$pkg/lib/$f" ] || { echo "test-installed: the tarball does not bundle lib/$f" >&2; exit 1; }
done
cd "$here"
# The tests and every process they start talk to the fake on loopback, never through
# a proxy the environment names (a company proxy cannot reach this machine's 127.0.0.1);
# npm still reaches the registry through it. Children inherit these.
for v in no_proxy NO_PROXY; do export "$v=127.0.0.1,localhost,::1${!v:+,${!v}}"; done
shift
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(test/)
env -u CXREPORTS_LIB CXREPORTS_NODE_PKG="$pkg" CXREPORTS_NODE_TGZ="$tgz" node --test "${tests[@]}"
