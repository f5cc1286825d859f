"""Which route main-thread calls take (the blocking call with interrupt_fd, or the
asynchronous one), and that the binding leaves other owners' wakeup fd and handlers
alone. The Ctrl-C behaviour itself is in test_concurrency.py."""

from __future__ import annotations

import ctypes
import json
import subprocess
import sys
import textwrap

from cxreports import _lib, _runtime

from conftest import sigint_default, subprocess_env

ROUTES = textwrap.dedent("""
    import asyncio, json, os, signal, sys, threading
    from cxreports import CxReportClientV1
    from cxreports import _wakeup
    c = CxReportClientV1(sys.argv[1], 1, sys.argv[2])
    seen = {}

    def step(name, fn):
        before = dict(_wakeup.paths)
        fn()
        seen[name] = {k: _wakeup.paths[k] - before[k] for k in before}

    step("main", c.get_workspaces)
    step("main_bytes", lambda: c.get_pdf(160))
    step("worker", lambda: [t.start() or t.join() for t in [threading.Thread(target=c.get_workspaces)]])

    # The application's own wakeup fd: left in place, the call takes the async route.
    r, w = os.pipe()
    os.set_blocking(w, False)
    signal.set_wakeup_fd(w)
    step("own_wakeup_fd", c.get_themes)
    seen["own_wakeup_fd_kept"] = signal.set_wakeup_fd(-1) == w

    # Back to none set: the binding takes it again.
    step("after_reset", c.get_themes)

    # A SIGINT handler of the application's (one that does not raise must see calls
    # finish), or a Python handler for any other signal: async route.
    signal.signal(signal.SIGINT, lambda *a: None)
    step("own_sigint_handler", c.get_themes)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGUSR1, lambda *a: None)
    step("other_handler", c.get_themes)
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)

    # asyncio.run sets and resets the wakeup fd; calls after it are blocking again.
    asyncio.run(asyncio.sleep(0))
    step("after_asyncio", c.get_workspaces)

    # Progress callbacks need the async route.
    tid = c.start_report_export(160)["temporaryFileId"]
    step("progress", lambda: c.wait_for_export(tid, poll_interval=0.01, progress=lambda p: None))
    seen["sigint_handler_restored"] = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    print(json.dumps(seen))
""")


def test_main_thread_routes(fresh):
    # SIGINT at its default, as from a terminal: the blocking route needs Python's own
    # KeyboardInterrupt handler, which a Python started with SIGINT ignored does not get.
    out = subprocess.run(sigint_default([sys.executable, "-c", ROUTES, fresh.url, fresh.token]),
                         env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout)
    blocking, async_ = {"blocking": 1, "async": 0}, {"blocking": 0, "async": 1}
    assert seen["main"] == blocking
    assert seen["main_bytes"] == blocking
    assert seen["worker"] == {"blocking": 0, "async": 0}  # counted for the main thread only
    assert seen["own_wakeup_fd"] == async_
    assert seen["own_wakeup_fd_kept"] is True
    assert seen["after_reset"] == blocking
    assert seen["own_sigint_handler"] == async_
    assert seen["other_handler"] == async_
    assert seen["after_asyncio"] == blocking
    assert seen["progress"] == async_
    assert seen["sigint_handler_restored"] is True


def test_envelope_is_freed_when_dropped_or_taken(client, monkeypatch):
    """cx_call_bytes's result frees itself if an exception (KeyboardInterrupt) drops it
    before it is read, and is freed exactly once when read."""
    freed = []
    real = _lib.OwnedPtr.free

    def record(ptr):
        freed.append(ptr)
        real(ptr)

    monkeypatch.setattr(_lib.OwnedPtr, "free", record)
    data, length = ctypes.c_void_p(), ctypes.c_size_t()
    handle = client._live_handle()

    dropped = _runtime.lib.cx_call_bytes(handle, b"get_workspaces", b"{}", ctypes.byref(data),
                                         ctypes.byref(length))
    ptr = dropped.value
    assert ptr
    del dropped
    assert freed == [ptr]

    taken = _runtime.lib.cx_call_bytes(handle, b"get_workspaces", b"{}", ctypes.byref(data),
                                       ctypes.byref(length))
    ptr = taken.value
    assert json.loads(taken.take())["ok"] is True
    del taken
    assert freed[1:] == [ptr]
