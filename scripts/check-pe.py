#!/usr/bin/env python3
"""Usage: scripts/check-pe.py FILE x64|arm64 exe|dll

Checks that FILE is a Windows PE image for the given machine (COFF header Machine:
0x8664 for x64, 0xAA64 for arm64) and kind (the IMAGE_FILE_DLL characteristic), so a
Windows build that came out for the wrong target fails here, not on a user's machine.
The arm64 images cannot run on this x64 host, not even under Wine: this is their check.
"""
import struct
import sys

MACHINES = {"x64": 0x8664, "arm64": 0xAA64}
IMAGE_FILE_DLL = 0x2000


def problem(head, arch, kind):
    """Why the image starting with head (its first 4 KiB) is not a PE image of kind
    (exe or dll) for arch (x64 or arm64), or None. bindings/python/tools/check_wheels.py
    uses it on the DLL inside a wheel."""
    if head[:2] != b"MZ":
        return "no MZ header: not a Windows executable"
    (pe_offset,) = struct.unpack_from("<I", head, 0x3C)
    if head[pe_offset:pe_offset + 4] != b"PE\0\0":
        return "no PE signature at the offset its DOS header gives"
    machine, _, _, _, _, _, characteristics = struct.unpack_from("<HHIIIHH", head, pe_offset + 4)
    if machine != MACHINES[arch]:
        return "machine 0x%04X, want 0x%04X (%s)" % (machine, MACHINES[arch], arch)
    is_dll = bool(characteristics & IMAGE_FILE_DLL)
    if is_dll != (kind == "dll"):
        return "it is a%s, want a%s" % (" DLL" if is_dll else "n .exe", " DLL" if kind == "dll" else "n .exe")
    return None


def check(path, arch, kind):
    with open(path, "rb") as f:
        return problem(f.read(4096), arch, kind)


def main(argv):
    if len(argv) != 4 or argv[2] not in MACHINES or argv[3] not in ("exe", "dll"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    problem = check(argv[1], argv[2], argv[3])
    if problem:
        print("check-pe: %s: %s" % (argv[1], problem), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
