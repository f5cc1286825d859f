"""Loading the library, the ABI check, and the wheel installed into a fresh venv."""

from __future__ import annotations

import os
import platform
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path


from conftest import BINDING, ROOT, require_tool, subprocess_env

DIST = ROOT / "dist"


def test_the_suite_tests_the_library_make_built():
    """The tests load the copy of build/libcxreports.so that make puts in the package,
    whatever CXREPORTS_LIB the caller's environment holds (conftest drops it)."""
    from cxreports import _lib, _runtime

    packaged = BINDING / "cxreports" / "libcxreports.so"
    assert os.environ.get("CXREPORTS_LIB") is None
    assert Path(_runtime.lib._name) == packaged == Path(_lib.library_path())
    built = ROOT / "build" / "libcxreports.so"
    assert built.is_file(), f"{built} is missing: run 'make build-capi'"
    assert packaged.read_bytes() == built.read_bytes(), f"{packaged} is not {built}: run 'make build-python'"


def import_with(lib: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import cxreports"], capture_output=True, text=True,
                          env=subprocess_env(CXREPORTS_LIB=lib))


def test_missing_library_is_a_clear_import_error(tmp_path):
    out = import_with(str(tmp_path / "nope.so"))
    assert out.returncode != 0
    assert "ImportError" in out.stderr and "CXREPORTS_LIB" in out.stderr and "does not exist" in out.stderr


def test_abi_mismatch_is_a_clear_import_error(tmp_path):
    gcc = require_tool("gcc", "gcc")  # builds a library with the wrong ABI version
    src = tmp_path / "old.c"
    src.write_text("int cx_abi_version(void) { return 99; }\n")
    lib = tmp_path / "libold.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    out = import_with(str(lib))
    assert out.returncode != 0
    assert "C ABI version 99" in out.stderr and "needs version 1" in out.stderr


def test_not_a_cxreports_library(tmp_path):
    libc = "libc.so.6"
    out = import_with(libc)
    assert out.returncode != 0


# The wheels make builds, by the architecture in their manylinux tags, and the ELF
# e_machine of the library each must carry.
ARCHES = {"x86_64": 62, "aarch64": 183}


def wheel_for(arch: str) -> Path:
    pattern = f"cxreports-*-py3-none-manylinux_2_17_{arch}.manylinux2014_{arch}.whl"
    wheels = sorted(DIST.glob(pattern))
    assert len(wheels) == 1, f"want one {pattern} in {DIST}, found {[w.name for w in wheels]}: run 'make python'"
    return wheels[0]


def the_wheel() -> Path:
    """The wheel for this machine."""
    return wheel_for(platform.machine())


def test_wheels_are_manylinux2014_wheels_with_their_library():
    assert not list(DIST.glob("cxreports-*-linux_*.whl")), "a wheel tagged linux_*, which PyPI refuses"
    for arch, machine in ARCHES.items():
        wheel = wheel_for(arch)
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            assert "cxreports/libcxreports.so" in names and "cxreports/py.typed" in names
            assert "cxreports/aio.pyi" in names
            head = z.read("cxreports/libcxreports.so")[:20]
            info = z.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
        assert head[:4] == b"\x7fELF" and struct.unpack_from("<H", head, 18)[0] == machine, wheel.name
        tags = sorted(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Tag:"))
        assert tags == [f"py3-none-manylinux2014_{arch}", f"py3-none-manylinux_2_17_{arch}"], tags
        assert "Root-Is-Purelib: false" in info


def test_wheel_installs_and_runs_without_go(tmp_path, fresh):
    wheel = the_wheel()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check",
                    str(wheel)], check=True)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and not (Path(p) / "go").exists())
    assert shutil.which("go", path=path) is None
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CXREPORTS_LIB", "GOROOT", "GOPATH")}
    env["PATH"] = path
    script = (
        "import sys, cxreports\n"
        "assert 'site-packages' in cxreports.__file__, cxreports.__file__\n"
        "c = cxreports.CxReportClientV1(sys.argv[1], 1, sys.argv[2])\n"
        "print(len(c.get_workspaces()), c.save_pdf(160, 'w.pdf')['bytes'] > 0)\n"
    )
    out = subprocess.run([str(py), "-c", script, fresh.url, fresh.token], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3", "True"]
