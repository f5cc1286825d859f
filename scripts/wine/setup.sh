#!/usr/bin/env bash
# Usage: scripts/wine/setup.sh BUILD_DIR
# Makes the Wine prefix the Windows tests run in: BUILD_DIR/wine/prefix (never $HOME),
# set to Windows 10 (a new prefix says Windows 7), with the bcryptprimitives.dll shim in
# its system32 (see bcryptprimitives.c: Go's runtime needs ProcessPrng, Wine 8 lacks it;
# test setup only, never shipped). The shim is built with the zig of BUILD_DIR/zigvenv
# (mk/capi.mk). Idempotent: each step is done once and redone only when its input changes.
# Quiet: prints nothing on success. Touches BUILD_DIR/wine/ready when done (make's target).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: setup.sh BUILD_DIR}" && pwd)
# shellcheck source=find-wine.sh
. "$here/find-wine.sh"
zigpy=$build/zigvenv/bin/python
[ -x "$zigpy" ] || { echo "wine setup: no zig in $build/zigvenv (make builds it: mk/capi.mk)" >&2; exit 1; }

export WINEPREFIX=$build/wine/prefix
mkdir -p "$build/wine/shim"
log=$build/wine/setup.log
: >"$log"

# The prefix, once. wineboot -i creates it; the server must have written the registry to
# disk before winecfg and the next step read it, so wait for it to exit each time.
if [ ! -f "$WINEPREFIX/.cx-win10" ]; then
  rm -rf "$WINEPREFIX"
  "$WINE64" wineboot -i >>"$log" 2>&1 || { echo "wine setup: wineboot failed, see $log" >&2; exit 1; }
  [ -z "$WINESERVER" ] || "$WINESERVER" -w
  "$WINE64" winecfg /v win10 >>"$log" 2>&1 || { echo "wine setup: winecfg /v win10 failed, see $log" >&2; exit 1; }
  [ -z "$WINESERVER" ] || "$WINESERVER" -w
  grep -q '"ProductName"="Microsoft Windows 10' "$WINEPREFIX/system.reg" ||
    { echo "wine setup: the prefix does not say Windows 10 after winecfg /v win10" >&2; exit 1; }
  touch "$WINEPREFIX/.cx-win10"
fi

# The shim, rebuilt when its source is newer, copied when the prefix's copy differs.
shim=$build/wine/shim/bcryptprimitives.dll
if [ ! -f "$shim" ] || [ "$here/bcryptprimitives.c" -nt "$shim" ]; then
  "$zigpy" -m ziglang cc -target x86_64-windows-gnu -shared -O2 -s -o "$shim.tmp.dll" \
    "$here/bcryptprimitives.c" -ladvapi32 >>"$log" 2>&1 ||
    { echo "wine setup: building the bcryptprimitives shim failed, see $log" >&2; exit 1; }
  rm -f "$shim.tmp.lib" "$shim.tmp.pdb"
  mv -f "$shim.tmp.dll" "$shim"
fi
sys32=$WINEPREFIX/drive_c/windows/system32
cmp -s "$shim" "$sys32/bcryptprimitives.dll" || cp -f "$shim" "$sys32/bcryptprimitives.dll"
touch "$build/wine/ready"
