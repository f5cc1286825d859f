"""Marks the wheel as platform-specific: it carries libcxreports.so (a native ELF) but no
CPython extension, so the files belong at the wheel's root (platlib) and the tag is
py3-none-<platform>. Everything else is in pyproject.toml.

The platform is CXREPORTS_WHEEL_PLATFORM when set (make passes the manylinux tag of the
library it packs, e.g. manylinux_2_17_aarch64.manylinux2014_aarch64; the library's ELF
architecture must match it), else this machine's (linux_x86_64: a local build)."""

import os
import struct
import sysconfig

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
# e_machine values of the ELF header, by the architecture a platform tag ends with.
ELF_MACHINES = {"x86_64": 62, "aarch64": 183}


def library_arch():
    with open(os.path.join(HERE, "cxreports", "libcxreports.so"), "rb") as f:
        head = f.read(20)
    if head[:4] != b"\x7fELF" or head[5] != 1:
        raise SystemExit("setup.py: cxreports/libcxreports.so is not a little-endian ELF file")
    machine = struct.unpack_from("<H", head, 18)[0]
    for arch, number in ELF_MACHINES.items():
        if number == machine:
            return arch
    raise SystemExit(f"setup.py: cxreports/libcxreports.so has ELF machine {machine}, not one of {sorted(ELF_MACHINES)}")


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
