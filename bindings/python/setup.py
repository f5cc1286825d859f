"""Marks the wheel as platform-specific: it carries libcxreports.so (a linux_x86_64 ELF)
but no CPython extension, so the tag is py3-none-<platform>. Everything else is in
pyproject.toml."""

import sysconfig

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel


class PlatformWheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        return "py3", "none", sysconfig.get_platform().replace("-", "_").replace(".", "_")


setup(cmdclass={"bdist_wheel": PlatformWheel})
