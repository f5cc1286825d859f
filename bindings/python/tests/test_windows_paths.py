"""The binding's Windows branches, run here on Linux (no Windows Python can be had):
which library the loader looks for and what it says when that fails, faking sys.platform
and platform.machine; the Windows wheels' contents; and the socket-based inbox reading
and Ctrl-C channel that Windows needs, in a child Python made to look like a Windows one
(a Linux inbox end is a socket too, and a socket pair works as a wakeup fd here). The wheels' DLL itself is
tested under Wine by the C and Node tests (mk/windows-tests.mk)."""

from __future__ import annotations

import json
import platform
import struct
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from cxreports import _lib

from conftest import BINDING, ROOT, python_child

DIST = ROOT / "dist"


@pytest.mark.parametrize("plat,name", [("win32", "cxreports.dll"), ("linux", "libcxreports.so")])
def test_loader_looks_for_the_platform_s_library(monkeypatch, plat, name):
    monkeypatch.delenv("CXREPORTS_LIB", raising=False)
    monkeypatch.setattr(sys, "platform", plat)
    path = Path(_lib.library_path())
    assert path.name == name and path.parent.name == "cxreports"
    # CXREPORTS_LIB wins on every platform.
    monkeypatch.setenv("CXREPORTS_LIB", r"C:\libs\cxreports.dll")
    assert _lib.library_path() == r"C:\libs\cxreports.dll"


@pytest.mark.parametrize("plat,machine,says", [
    ("win32", "ARM64", ["ARM64", "win_arm64", "Windows 8.1"]),
    ("win32", "AMD64", ["AMD64", "win_amd64"]),
    ("linux", "x86_64", ["glibc"]),
])
def test_a_library_that_does_not_load_is_explained_for_the_platform(monkeypatch, tmp_path, plat, machine, says):
    junk = tmp_path / "cxreports.dll"
    junk.write_bytes(b"MZ not really a library")
    monkeypatch.setenv("CXREPORTS_LIB", str(junk))
    monkeypatch.setattr(sys, "platform", plat)
    monkeypatch.setattr(platform, "machine", lambda: machine)
    with pytest.raises(ImportError) as err:
        _lib.load()
    assert str(junk) in str(err.value) and "CXREPORTS_LIB" in str(err.value)
    for word in says:
        assert word in str(err.value)


@pytest.mark.parametrize("plat", ["win32", "linux"])
def test_a_missing_library_names_the_platform_s_file(monkeypatch, tmp_path, plat):
    monkeypatch.setenv("CXREPORTS_LIB", str(tmp_path / "nope"))
    monkeypatch.setattr(sys, "platform", plat)
    with pytest.raises(ImportError, match="does not exist") as err:
        _lib.load()
    assert ("cxreports.dll" if plat == "win32" else "libcxreports.so") in str(err.value)


# The Windows wheels and the PE machine of the DLL each must carry.
WINDOWS = {"win_amd64": 0x8664, "win_arm64": 0xAA64}


@pytest.mark.parametrize("tag", sorted(WINDOWS))
def test_windows_wheels_carry_the_dll_for_their_machine(tag):
    wheels = sorted(DIST.glob(f"cxreports-*-py3-none-{tag}.whl"))
    assert len(wheels) == 1, f"want one {tag} wheel in {DIST}, found {[w.name for w in wheels]}: run 'make python'"
    with zipfile.ZipFile(wheels[0]) as z:
        names = z.namelist()
        assert "cxreports/cxreports.dll" in names and "cxreports/libcxreports.so" not in names
        assert {"cxreports/py.typed", "cxreports/aio.pyi", "cxreports/_wakeup.py"} <= set(names)
        image = z.read("cxreports/cxreports.dll")
        info = z.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
    assert image[:2] == b"MZ"
    (pe,) = struct.unpack_from("<I", image, 0x3C)
    assert image[pe:pe + 4] == b"PE\0\0"
    assert struct.unpack_from("<H", image, pe + 4)[0] == WINDOWS[tag]
    assert [line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Tag:")] == [f"py3-none-{tag}"]


# The child looks like a Windows Python to the package: sys.platform is win32 and what
# Windows' Python lacks is gone (select.poll, os.register_at_fork, SIGKILL and SIGSTOP);
# the standard modules that choose their own platform code at import are imported first.
# CXREPORTS_LIB names the Linux library, which the loader would not pick on "win32".
SOCKET_BRANCHES = textwrap.dedent("""
    import asyncio, ctypes, json, logging, os, select, signal, socket, sys, threading, weakref
    sys.platform = "win32"
    del select.poll, os.register_at_fork, signal.SIGKILL, signal.SIGSTOP
    os.environ["CXREPORTS_LIB"] = sys.argv[3]
    from cxreports import _inbox, _wakeup, _lib
    assert _inbox.SOCKETS and _wakeup.SOCKETS and _lib.library_name() == "cxreports.dll"
    from cxreports import CxReportClientV1
    from cxreports.aio import AsyncCxReportClientV1
    url, token = sys.argv[1], sys.argv[2]
    c = CxReportClientV1(url, 1, token)
    seen = {}
    # Main thread, blocking with interrupt_fd: the socket pair's read end.
    seen["workspaces"] = len(c.get_workspaces())
    seen["wakeup_is_socket_pair"] = _wakeup._sockets is not None and _wakeup._poller is None
    seen["pdf"] = c.get_pdf(160)[:5].decode()
    # A progress callback: the thread's inbox, read with recv and waited on with select.
    events = []
    tid = c.start_report_export(160)["temporaryFileId"]
    c.wait_for_export(tid, poll_interval=0.01, progress=events.append)
    seen["progress_events"] = len(events) > 0
    seen["thread_inbox_socket"] = _inbox._threads.inbox._sock is not None
    # asyncio: the loop's inbox, watched with add_reader, read with recv.
    async def main():
        async with AsyncCxReportClientV1(url, 1, token) as a:
            return await asyncio.gather(a.get_workspaces(), a.get_pdf(160))
    ws, pdf = asyncio.run(main())
    seen["aio"] = [len(ws), pdf[:5].decode()]
    # A worker thread's inbox, closed when the thread ends.
    out = []
    t = threading.Thread(target=lambda: out.append(len(c.get_workspaces())))
    t.start(); t.join()
    seen["worker"] = out
    print(json.dumps(seen))
""")


def test_windows_socket_branches_make_calls(fresh):
    """Calls on the main thread (the Ctrl-C channel a socket pair), with progress (the
    thread's inbox), from asyncio (the loop's inbox) and from a worker thread, with the
    inbox end read as a socket: what a Windows Python does."""
    # sigint: the Ctrl-C channel exists only where Ctrl-C is not ignored, and a suite
    # started in the background (CI: SIGINT ignored) must still see it.
    with python_child(SOCKET_BRANCHES, fresh.url, fresh.token, str(BINDING / "cxreports" / "libcxreports.so"),
                      sigint=True) as child:
        out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen == {"workspaces": 3, "wakeup_is_socket_pair": True, "pdf": "%PDF-", "progress_events": True,
                    "thread_inbox_socket": True, "aio": [3, "%PDF-"], "worker": [3]}
