#!/usr/bin/env python3
"""Usage: scripts/dll-exports.py FILE.dll

Prints the names a Windows DLL exports, one a line, sorted: read from its PE export
table, so the check needs no tool that knows PE (binutils' objdump may lack it).
"""
import struct
import sys


def exports(path):
    with open(path, "rb") as f:
        data = f.read()
    (pe,) = struct.unpack_from("<I", data, 0x3C)
    if data[:2] != b"MZ" or data[pe:pe + 4] != b"PE\0\0":
        raise ValueError("not a PE image")
    nsections, = struct.unpack_from("<H", data, pe + 6)
    opt_size, = struct.unpack_from("<H", data, pe + 20)
    opt = pe + 24
    magic, = struct.unpack_from("<H", data, opt)
    dirs = opt + (112 if magic == 0x20B else 96)  # PE32+ or PE32
    export_rva, _ = struct.unpack_from("<II", data, dirs)
    sections = []
    for i in range(nsections):
        s = opt + opt_size + 40 * i
        vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", data, s + 8)
        sections.append((va, max(vsize, rawsize), rawptr))

    def off(rva):
        for va, size, raw in sections:
            if va <= rva < va + size:
                return rva - va + raw
        raise ValueError("RVA 0x%x is in no section" % rva)

    if export_rva == 0:
        return []
    d = off(export_rva)
    nnames, _, names_rva = struct.unpack_from("<III", data, d + 24)
    names = []
    for i in range(nnames):
        (rva,) = struct.unpack_from("<I", data, off(names_rva) + 4 * i)
        o = off(rva)
        names.append(data[o:data.index(b"\0", o)].decode("ascii"))
    return sorted(names)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        sys.exit(2)
    print("\n".join(exports(sys.argv[1])))
