"""Marks the wheel as platform-specific: it carries libcxreports.so (a native ELF for
this platform) but no CPython extension, so the files belong at the wheel's root
(platlib) and the tag is py3-none-<platform>. Everything else is in pyproject.toml."""

import sysconfig

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.dist import Distribution


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        return "py3", "none", sysconfig.get_platform().replace("-", "_").replace(".", "_")


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
