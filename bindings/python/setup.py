"""Marks the wheel as platform-specific: it carries libcxreports.so (a native ELF) or, in a
Windows wheel, cxreports.dll (a PE DLL), but no CPython extension, so the files belong at
the wheel's root (platlib) and the tag is py3-none-<platform>. Everything else is in
pyproject.toml.

The platform is CXREPORTS_WHEEL_PLATFORM when set (make passes the tag of the library it
packs, e.g. manylinux_2_17_aarch64.manylinux2014_aarch64 or win_arm64; the library's
architecture must match it), else this machine's (linux_x86_64: a local build)."""

import os
import struct
import sysconfig

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
# e_machine values of the ELF header and Machine values of the PE header, by the
# architecture a platform tag ends with (manylinux_..._x86_64, win_amd64).
ELF_MACHINES = {"x86_64": 62, "aarch64": 183}
PE_MACHINES = {"amd64": 0x8664, "arm64": 0xAA64}
LIBRARIES = ("libcxreports.so", "cxreports.dll")


def library_arch():
    present = [n for n in LIBRARIES if os.path.exists(os.path.join(HERE, "cxreports", n))]
    if len(present) != 1:
        raise SystemExit(f"setup.py: want exactly one of {LIBRARIES} in cxreports/, found {present}")
    name = present[0]
    with open(os.path.join(HERE, "cxreports", name), "rb") as f:
        head = f.read(4096)
    if name.endswith(".dll"):
        if head[:2] != b"MZ":
            raise SystemExit(f"setup.py: cxreports/{name} is not a PE file")
        offset = struct.unpack_from("<I", head, 0x3C)[0]
        if head[offset:offset + 4] != b"PE\0\0":
            raise SystemExit(f"setup.py: cxreports/{name} has no PE signature")
        machine, table = struct.unpack_from("<H", head, offset + 4)[0], PE_MACHINES
    else:
        if head[:4] != b"\x7fELF" or head[5] != 1:
            raise SystemExit(f"setup.py: cxreports/{name} is not a little-endian ELF file")
        machine, table = struct.unpack_from("<H", head, 18)[0], ELF_MACHINES
    for arch, number in table.items():
        if number == machine:
            return arch
    raise SystemExit(f"setup.py: cxreports/{name} has machine {machine:#x}, not one of {sorted(table)}")


def platform_tag():
    tag = os.environ.get("CXREPORTS_WHEEL_PLATFORM")
    if not tag:
        return sysconfig.get_platform().replace("-", "_").replace(".", "_")
    arch = library_arch()
    if not all(part.endswith("_" + arch) for part in tag.split(".")):
        raise SystemExit(f"setup.py: CXREPORTS_WHEEL_PLATFORM={tag} does not match the library's architecture {arch}")
    return tag


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        return "py3", "none", platform_tag()


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
