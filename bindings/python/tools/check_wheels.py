"""Checks the wheels that make builds: python tools/check_wheels.py WHEEL...

For each wheel: its name's platform tags are manylinux tags of one architecture and one
glibc baseline (manylinux2014 = manylinux_2_17), its WHEEL file lists the same tags, it
carries cxreports/libcxreports.so, and `auditwheel show` (auditwheel from PyPI, in the
same venv) agrees: it finds the library consistent with a manylinux tag of that
architecture whose glibc is no newer than the name's, and no external shared library
that the manylinux policy does not provide. Windows wheels (win_amd64, win_arm64): one
platform tag, the WHEEL file lists it, they carry cxreports/cxreports.dll (the name the
loader looks for on Windows) and no libcxreports.so, and the DLL's PE header names the
tag's machine (auditwheel knows only Linux). Exits 1 with the reasons otherwise.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path

LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
# The PE header's Machine by Windows platform tag.
WINDOWS = {"win_amd64": "x64", "win_arm64": "arm64"}


def wheel_tags(wheel: Path, names: list[str], z: zipfile.ZipFile) -> set[str]:
    info = next((n for n in names if n.endswith(".dist-info/WHEEL")), None)
    if not info:
        return set()
    return {line.split(":", 1)[1].strip() for line in z.read(info).decode().splitlines()
            if line.startswith("Tag:")}


def _check_pe():
    """scripts/check-pe.py (a file name with a dash: loaded by path), whose problem() this
    applies to the DLL inside a wheel, so one parser of PE headers serves both checks."""
    path = Path(__file__).resolve().parents[3] / "scripts" / "check-pe.py"
    spec = importlib.util.spec_from_file_location("check_pe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pe_problem(image: bytes, arch: str) -> str | None:
    """Why image is not a DLL for arch (x64, arm64), or None."""
    return _check_pe().problem(image[:4096], arch, "dll")


def check_windows(wheel: Path, python: str, abi: str, platform: str) -> list[str]:
    problems = []
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        listed = wheel_tags(wheel, names, z)
        if "cxreports/libcxreports.so" in names:
            problems.append(f"{wheel.name}: a Windows wheel carrying cxreports/libcxreports.so")
        if "cxreports/cxreports.dll" not in names:
            return problems + [f"{wheel.name}: no cxreports/cxreports.dll inside"]
        problem = pe_problem(z.read("cxreports/cxreports.dll"), WINDOWS[platform])
    if problem:
        problems.append(f"{wheel.name}: cxreports/cxreports.dll {problem}")
    if listed != {f"{python}-{abi}-{platform}"}:
        problems.append(f"{wheel.name}: the WHEEL file lists {sorted(listed)}, the name says {platform}")
    if not problems:
        print(f"check_wheels: {wheel.name}: cxreports.dll is a DLL for {platform[4:]}")
    return problems


def parse_tag(tag: str) -> tuple[tuple[int, int], str]:
    """manylinux_2_17_x86_64 / manylinux2014_x86_64 -> ((2, 17), 'x86_64')."""
    m = re.fullmatch(r"manylinux_(\d+)_(\d+)_(\w+)", tag)
    if m:
        return (int(m.group(1)), int(m.group(2))), m.group(3)
    m = re.fullmatch(r"(manylinux(?:1|2010|2014))_(\w+)", tag)
    if m:
        return LEGACY[m.group(1)], m.group(2)
    raise ValueError(f"{tag} is not a manylinux platform tag")


def check(wheel: Path, auditwheel: Path) -> list[str]:
    problems = []
    parts = wheel.name[: -len(".whl")].split("-")
    if len(parts) != 5:
        return [f"{wheel.name}: not a name-version-python-abi-platform wheel name"]
    _, _, python, abi, platforms = parts
    if platforms in WINDOWS:
        return check_windows(wheel, python, abi, platforms)
    try:
        tags = [parse_tag(p) for p in platforms.split(".")]
    except ValueError as exc:
        return [f"{wheel.name}: {exc}"]
    if len(set(tags)) != 1:
        problems.append(f"{wheel.name}: its platform tags disagree: {platforms}")
    (glibc, arch) = tags[0]

    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        if "cxreports/libcxreports.so" not in names:
            problems.append(f"{wheel.name}: no cxreports/libcxreports.so inside")
        listed = wheel_tags(wheel, names, z)
    named = {f"{python}-{abi}-{p}" for p in platforms.split(".")}
    if listed != named:
        problems.append(f"{wheel.name}: the WHEEL file lists {sorted(listed)}, the name says {sorted(named)}")

    out = subprocess.run([str(auditwheel), "show", str(wheel)], capture_output=True, text=True)
    text = " ".join(out.stdout.split())
    if out.returncode != 0:
        return problems + [f"{wheel.name}: auditwheel show failed ({out.returncode}): {out.stderr.strip()}"]
    m = re.search(r'is consistent with the following platform tag: "([^"]+)"', text)
    if not m:
        return problems + [f"{wheel.name}: auditwheel show names no consistent platform tag:\n{out.stdout}"]
    found_glibc, found_arch = parse_tag(m.group(1))
    if found_arch != arch:
        problems.append(f"{wheel.name}: auditwheel finds a {found_arch} library, the name says {arch}")
    if found_glibc > glibc:
        problems.append(f"{wheel.name}: auditwheel needs {m.group(1)}, newer than the name's glibc "
                        f"{glibc[0]}.{glibc[1]}")
    if "The wheel requires no external shared libraries" not in text:
        problems.append(f"{wheel.name}: auditwheel does not find that it requires no external shared "
                        f"libraries:\n{out.stdout}")
    if not problems:
        print(f"check_wheels: {wheel.name}: auditwheel: consistent with {m.group(1)} "
              f"(name: glibc {glibc[0]}.{glibc[1]}, {arch}), no external libraries")
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: check_wheels.py WHEEL...", file=sys.stderr)
        return 2
    auditwheel = Path(sys.executable).parent / "auditwheel"
    if not auditwheel.exists():
        print(f"check_wheels: {auditwheel} is missing (pip install auditwheel)", file=sys.stderr)
        return 1
    problems = []
    for name in argv:
        wheel = Path(name)
        if not wheel.exists():
            problems.append(f"{wheel}: does not exist")
            continue
        problems += check(wheel, auditwheel)
    for p in problems:
        print(f"check_wheels: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
