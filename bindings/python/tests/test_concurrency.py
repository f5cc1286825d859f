"""Threads, fork() and Ctrl-C."""

from __future__ import annotations

import multiprocessing
import os
import signal
import textwrap
import threading

import pytest

from cxreports import ForkedProcessError

from conftest import field, python_child
from test_errors import wait_until


def test_one_client_many_threads_in_parallel(client, fresh):
    results, errors = [], []

    def work(i):
        try:
            pdf = client.get_pdf(160, {"params": {"fakeDelayMs": 300, "i": i}})
            results.append(pdf.startswith(b"%PDF-"))
            results.append(bool(client.get_workspaces()))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 16 and all(results)
    assert fresh.stats()["peak_concurrency"] > 1


def test_fork_child_gets_a_clear_error(client):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: must not touch the Go runtime
        try:
            client.get_workspaces()
            message = "no error"
        except ForkedProcessError as exc:
            message = str(exc)
        except BaseException as exc:  # report anything else to the parent
            message = f"wrong error {type(exc).__name__}: {exc}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        message = f.read().decode()
    os.waitpid(pid, 0)
    assert "fork()" in message and "spawn" in message
    assert client.get_workspaces()  # the parent is unaffected


def _spawn_call(url, ws, token):
    from cxreports import CxReportClientV1 as Client

    with Client(url, ws, token) as c:
        return len(c.get_workspaces())


def test_spawn_start_method_works(fresh):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        assert pool.apply(_spawn_call, (fresh.url, fresh.workspace_id, fresh.token)) >= 3


SLOW_CALL = textwrap.dedent("""
    import os, signal, sys
    from cxreports import CxReportClientV1
    from cxreports import _wakeup
    if sys.argv[4] == "no-log-callback":  # nothing the library calls back on this thread
        import logging
        logging.getLogger("cxreports").setLevel(logging.CRITICAL)
    c = CxReportClientV1(sys.argv[1], 1, sys.argv[2])
    if sys.argv[4] == "sockets":  # Windows' wake-up channel and inbox reading (test_windows_paths.py)
        from cxreports import _inbox
        _wakeup.SOCKETS = _inbox.SOCKETS = True
    if sys.argv[4] == "own-wakeup-fd":  # the application's wakeup fd: the binding leaves it
        r, w = os.pipe()
        os.set_blocking(w, False)
        signal.set_wakeup_fd(w)
    try:
        if sys.argv[3] == "render":
            c.get_pdf(160, {"params": {"fakeDelayMs": 30000}})
        else:
            tid = c.start_report_export(160, {"params": {"fakeDelayMs": 30000}})["temporaryFileId"]
            print("waiting", flush=True)
            c.wait_for_export(tid, poll_interval=0.05)
    except KeyboardInterrupt:
        print("KeyboardInterrupt", "blocking" if _wakeup.paths["blocking"] and not _wakeup.paths["async"]
              else "async" if _wakeup.paths["async"] and not _wakeup.paths["blocking"] else _wakeup.paths,
              flush=True)
        raise
    print("finished without interruption", flush=True)
""")


@pytest.mark.parametrize("what,wakeup", [("render", "free"), ("wait", "free"), ("render", "no-log-callback"),
                                         ("render", "own-wakeup-fd"), ("render", "sockets"),
                                         ("wait", "sockets")])
def test_ctrl_c_interrupts_and_cancels(fresh, what, wakeup):
    """Main thread: the blocking call with interrupt_fd, or with the application's own
    wakeup fd in place the asynchronous route; both end in KeyboardInterrupt promptly."""
    with python_child(SLOW_CALL, fresh.url, fresh.token, what, wakeup, sigint=True) as child:
        if what == "render":
            wait_until(lambda: fresh.stats()["in_flight"] == 1)
        else:
            assert child.stdout.readline().strip() == "waiting"
            # Interrupted while it waits, not before: two polls answered InProgress.
            wait_until(lambda: len([r for r in fresh.api_requests() if field(r, "path").endswith("/status")]) >= 2)
        os.kill(child.pid, signal.SIGINT)
        # Generous bound: far below the 30 s the render or export would take.
        out, err = child.communicate(timeout=15)
    assert "KeyboardInterrupt" in out, err
    assert ("KeyboardInterrupt async" if wakeup == "own-wakeup-fd" else "KeyboardInterrupt blocking") in out
    assert "finished" not in out
    assert child.returncode != 0
    assert "Traceback" in err and err.rstrip().endswith("KeyboardInterrupt")
    wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)
