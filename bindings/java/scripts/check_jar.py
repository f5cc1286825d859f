#!/usr/bin/env python3
"""check_jar: the shipped jar is what issue 19 promises.

    check_jar.py JAR            check it; prints one line per finding, exit 1 if any
    check_jar.py --self-test    build bad jars in a temporary folder and check that each
                                is refused (so a check that stopped looking fails too)

- every .class has major version 52 (Java 8), so it loads on the oldest JVMs in service;
- both libraries are there, in JNA's resource layout (<os>-<arch>/ at the jar root), each
  an ELF shared object for its machine: linux-x86-64 (EM_X86_64) and linux-aarch64
  (EM_AARCH64);
- the jar holds classes of package com.cxreports.
Reads the zip itself (standard library only): no JDK tool needed.
"""
import os
import struct
import sys
import tempfile
import zipfile

JAVA8_MAJOR = 52
NATIVES = {"linux-x86-64/libcxreports.so": 62, "linux-aarch64/libcxreports.so": 183}  # e_machine


def findings(path):
    out = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        classes = [n for n in names if n.endswith(".class")]
        if not any(n.startswith("com/cxreports/") for n in classes):
            out.append(f"{path}: no class of package com.cxreports")
        for n in classes:
            if n.endswith("module-info.class") or n.startswith("META-INF/versions/"):
                # A multi-release or module entry is only read by newer JVMs; it may be newer.
                continue
            head = z.open(n).read(8)
            if len(head) < 8 or head[:4] != b"\xca\xfe\xba\xbe":
                out.append(f"{path}: {n} is not a class file")
                continue
            major = struct.unpack(">H", head[6:8])[0]
            if major != JAVA8_MAJOR:
                out.append(f"{path}: {n} has class file major version {major}, want {JAVA8_MAJOR} (Java 8)")
        for n, machine in NATIVES.items():
            if n not in names:
                out.append(f"{path}: {n} is missing")
                continue
            head = z.open(n).read(20)
            if head[:4] != b"\x7fELF" or len(head) < 20:
                out.append(f"{path}: {n} is not an ELF file")
                continue
            got = struct.unpack("<H", head[18:20])[0]
            if got != machine:
                out.append(f"{path}: {n} is for ELF machine {got}, want {machine}")
    return out


def class_bytes(major):
    return b"\xca\xfe\xba\xbe" + struct.pack(">HH", 0, major) + b"\x00" * 8


def elf_bytes(machine):
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + struct.pack("<HH", 3, machine) + b"\x00" * 8


def write_jar(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)


def self_test():
    good = {"com/cxreports/CxReportsClient.class": class_bytes(52),
            "linux-x86-64/libcxreports.so": elf_bytes(62),
            "linux-aarch64/libcxreports.so": elf_bytes(183)}
    bad = {
        "a Java 17 class": {**good, "com/cxreports/Late.class": class_bytes(61)},
        "no aarch64 library": {k: v for k, v in good.items() if "aarch64" not in k},
        "no x86-64 library": {k: v for k, v in good.items() if "x86-64" not in k},
        "an x86-64 library in the aarch64 place": {**good, "linux-aarch64/libcxreports.so": elf_bytes(62)},
        "no com.cxreports class": {k: v for k, v in good.items() if not k.endswith(".class")},
        "a broken class": {**good, "com/cxreports/X.class": b"junk"},
    }
    failures = []
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "good.jar")
        write_jar(p, good)
        if findings(p):
            failures.append(f"a good jar was refused: {findings(p)}")
        for what, entries in bad.items():
            p = os.path.join(d, "bad.jar")
            write_jar(p, entries)
            if not findings(p):
                failures.append(f"a jar with {what} passed")
    for f in failures:
        print("check_jar self-test:", f, file=sys.stderr)
    return 1 if failures else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    found = findings(argv[0])
    for f in found:
        print(f, file=sys.stderr)
    if not found:
        with zipfile.ZipFile(argv[0]) as z:
            n = sum(1 for x in z.namelist() if x.endswith(".class"))
        print(f"check_jar: {os.path.basename(argv[0])}: {n} classes at major {JAVA8_MAJOR}, both libraries")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
