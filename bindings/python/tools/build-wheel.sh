#!/usr/bin/env bash
# Usage: tools/build-wheel.sh PYTHON LIBRARY PLATFORM_TAG STAGE_DIR OUT_WHEEL
# Builds one wheel of the package carrying LIBRARY as cxreports/libcxreports.so (a .dll:
# as cxreports/cxreports.dll, the name the loader looks for on Windows), tagged
# py3-none-PLATFORM_TAG (setup.py reads CXREPORTS_WHEEL_PLATFORM and checks the library's
# architecture against it), from a copy of the package in STAGE_DIR: the source tree is
# left alone. The wheel is renamed into place as OUT_WHEEL, and older wheels of the same
# platform (other versions, or the old py3-none-linux_* tag) are removed from its folder.
set -euo pipefail
py=$1 lib=$2 tag=$3 stage=$4 out=$5
src=$(cd "$(dirname "$0")/.." && pwd)
want=$(basename "$out")
rm -rf "$stage"
mkdir -p "$stage/src/cxreports" "$stage/out" "$(dirname "$out")"
cp "$src/pyproject.toml" "$src/setup.py" "$src/README.md" "$stage/src/"
cp "$src"/cxreports/*.py "$src"/cxreports/*.pyi "$src/cxreports/py.typed" "$stage/src/cxreports/"
case "$lib" in
  *.dll) cp "$lib" "$stage/src/cxreports/cxreports.dll" ;;
  *) cp "$lib" "$stage/src/cxreports/libcxreports.so" ;;
esac
CXREPORTS_WHEEL_PLATFORM=$tag "$py" -m pip wheel -q --no-deps --no-build-isolation \
  --disable-pip-version-check -w "$stage/out" "$stage/src"
[ -f "$stage/out/$want" ] || { echo "build-wheel: expected $want, got: $(ls "$stage/out")" >&2; exit 1; }
for old in "$(dirname "$out")"/cxreports-*-py3-none-"$tag".whl "$(dirname "$out")"/cxreports-*-py3-none-linux_*.whl; do
  [ "$old" = "$out" ] || rm -f "$old"
done
mv -f "$stage/out/$want" "$out"
rm -rf "$stage"
echo "build-wheel: $out"
