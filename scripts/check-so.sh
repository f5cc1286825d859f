#!/usr/bin/env bash
# Usage: scripts/check-so.sh LIBRARY MACHINE GLIBC_MAX
# Checks a libcxreports.so before it goes into a wheel or the npm package: its ELF
# machine is MACHINE (readelf's name: X86-64, AArch64), it needs no GLIBC symbol
# version above GLIBC_MAX (e.g. 2.17, manylinux2014) nor GLIBC_PRIVATE, it is stripped
# (no .symtab, no .debug_* sections) and it is under 12 MB.
set -euo pipefail
lib=$1 machine=$2 glibc_max=$3
max_bytes=12000000
fail() { echo "check-so: $lib: $*" >&2; exit 1; }
command -v readelf >/dev/null || fail "readelf is missing (apt-get install binutils)"

got=$(readelf -h "$lib" | sed -n 's/^ *Machine: *//p')
case "$got" in
  *"$machine"*) ;;
  *) fail "machine is '$got', want $machine" ;;
esac

# The version needs of the dynamic symbols (what objdump -T shows as GLIBC_x.y).
needs=$(readelf -V -W "$lib" | grep -o 'GLIBC_[A-Z0-9._]*' | sort -u -V || true)
[ -n "$needs" ] || fail "needs no GLIBC symbol version at all: not a glibc build?"
if grep -qx GLIBC_PRIVATE <<<"$needs"; then fail "needs GLIBC_PRIVATE symbols"; fi
newest=$(sed 's/^GLIBC_//' <<<"$needs" | sort -V | tail -n1)
if [ "$(printf '%s\n%s\n' "$newest" "$glibc_max" | sort -V | tail -n1)" != "$glibc_max" ]; then
  fail "needs GLIBC_$newest, above the GLIBC_$glibc_max baseline: $(tr '\n' ' ' <<<"$needs")"
fi

sections=$(readelf -S -W "$lib")
if grep -qE '\] \.(symtab|debug_[a-z_]+) ' <<<"$sections"; then
  fail "is not stripped: $(grep -oE '\.(symtab|debug_[a-z_]+)' <<<"$sections" | tr '\n' ' ')"
fi

size=$(stat -c %s "$lib")
[ "$size" -lt "$max_bytes" ] || fail "is $size bytes, over the $max_bytes limit"
echo "check-so: $lib: $got, newest GLIBC_$newest (<= $glibc_max), stripped, $size bytes"
