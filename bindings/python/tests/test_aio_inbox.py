"""Answers come back through the library's inboxes (cxreports/_inbox.py), never through
cx_call_async callbacks: one inbox per event loop, read by the loop on its thread; an
inbox per waiting thread for the sync client's progress and stream calls. And what
happens when the loop closes, the client closes, the thread ends, or the process forks
while calls are in flight."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import subprocess
import sys
import textwrap
import threading
import weakref

import pytest

from conftest import sigint_default, subprocess_env
from cxreports import AsyncCxReportClientV1, Canceled, CxReportClientV1, ForkedProcessError
from cxreports import _inbox, _runtime

from test_errors import wait_until


@pytest.fixture
def no_callbacks(monkeypatch):
    """The library's callback and blocking entry points fail the test if used."""
    def forbidden(name):
        def call(*args):
            raise AssertionError(f"{name} was called; answers must come through the inbox")
        return call

    for name in ("cx_call_async", "cx_call_bytes", "cx_call"):
        monkeypatch.setattr(_runtime.lib, name, forbidden(name))


def test_async_calls_complete_through_the_loops_inbox(fresh, no_callbacks):
    async def main():
        loop = asyncio.get_running_loop()
        before = dict(_inbox.deliveries)
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as a, \
                AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as b:
            workspaces, pdf, themes = await asyncio.gather(a.get_workspaces(), a.get_pdf(160),
                                                           b.get_themes("sales team"))
            assert workspaces and pdf.startswith(b"%PDF-") and themes
            inbox = _inbox.loop_inbox(_runtime.lib, loop)
            assert inbox is _inbox.loop_inbox(_runtime.lib, loop), "one inbox per loop"
            assert isinstance(inbox, _inbox.LoopInbox) and not inbox.calls
        assert _inbox.deliveries["done"] - before["done"] == 3
        assert _inbox.deliveries["progress"] == before["progress"]

    asyncio.run(main())


def test_progress_events_come_through_the_inbox(fresh, no_callbacks):
    async def main():
        before = dict(_inbox.deliveries)
        seen = []
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            pdf = await c.get_pdf(160, {"params": {"fakeSizeBytes": 2_000_000}}, progress=seen.append)
        assert len(pdf) >= 2_000_000
        assert seen and seen[-1].stage == "done" and seen[-1].bytes_done == len(pdf)
        assert _inbox.deliveries["progress"] - before["progress"] == len(seen)
        assert _inbox.deliveries["done"] - before["done"] == 1

    asyncio.run(main())


def test_sync_progress_and_stream_calls_use_the_threads_inbox(fresh, tmp_path, no_callbacks):
    """The sync client's calls that wait in Python (a progress callback, render_batch)
    take their answers from an inbox too; the thread's inbox closes when it ends."""
    seen, refs, errors = [], [], []

    def work():
        try:
            with CxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
                c.get_pdf(160, {"params": {"fakeSizeBytes": 300_000}}, progress=seen.append)
                items = [{"report": 160, "output": f"b{i}.pdf"} for i in range(2)]
                results = list(c.render_batch(items, tmp_path))
                assert [r["error"] for r in results] == [None, None]
            refs.append(weakref.ref(_inbox.thread_inbox(_runtime.lib)))
        except BaseException as exc:  # reported below
            errors.append(exc)

    before = dict(_inbox.deliveries)
    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    assert not errors, errors
    assert seen and _inbox.deliveries["done"] - before["done"] == 2
    del worker
    gc.collect()
    assert refs and refs[0]() is None, "the thread's inbox outlived its thread"


def test_two_loops_in_two_threads_each_with_its_own_client(fresh):
    """Each loop reads its own inbox on its own thread, and both run at once."""
    barrier = threading.Barrier(2, timeout=30)
    out = {}

    def run(n):
        async def main():
            ident = threading.get_ident()
            async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
                barrier.wait()  # both loops are up before either call starts
                threads = set()
                pdf = await c.get_pdf(160, {"params": {"fakeDelayMs": 500, "n": n}},
                                      progress=lambda p: threads.add(threading.get_ident()))
                inbox = _inbox.loop_inbox(_runtime.lib, asyncio.get_running_loop())
                return pdf.startswith(b"%PDF-"), threads == {ident}, inbox.id

        try:
            out[n] = asyncio.run(main())
        except BaseException as exc:  # reported below
            out[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a loop hung"
    (ok0, own0, inbox0), (ok1, own1, inbox1) = out[0], out[1]
    assert ok0 and ok1
    assert own0 and own1, "progress ran on another loop's thread"
    assert inbox0 != inbox1, "the two loops shared an inbox"
    assert fresh.stats()["peak_concurrency"] >= 2, "the calls did not overlap"


def test_loop_closed_while_a_call_runs(fresh):
    """Closing a loop with a call still running closes its inbox: the library cancels
    the call (the fake sees it go), and the client goes on working on another loop."""
    c = AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token)
    loop = asyncio.new_event_loop()
    try:
        task = loop.create_task(c.get_pdf(160, {"params": {"fakeDelayMs": 30000}}))

        async def until_in_flight():
            while fresh.stats()["in_flight"] == 0:
                await asyncio.sleep(0.02)
        loop.run_until_complete(until_in_flight())
        inbox = weakref.ref(_inbox.loop_inbox(_runtime.lib, loop))
        fd = inbox().fd
        assert fd in [key.fd for key in loop._selector.get_map().values()]
    finally:
        loop.close()
    gc.collect()
    assert inbox() is None, "the inbox outlived its loop"
    with pytest.raises(OSError):
        os.fstat(fd)  # our end of the socket is closed (nothing opened a file since)
    wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)
    assert not task.done()  # nobody will run it again; dropping it is all that is left
    task._log_destroy_pending = False
    del task

    async def again():
        return await c.get_workspaces()
    assert asyncio.run(again())
    c.close()


def test_client_closed_while_async_calls_run(fresh):
    async def main():
        c = AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token)
        calls = [asyncio.ensure_future(c.get_pdf(160, {"params": {"fakeDelayMs": 30000, "i": i}}))
                 for i in range(3)]
        while fresh.stats()["in_flight"] < 3:
            await asyncio.sleep(0.02)
        c.close()
        results = await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 10)
        assert all(isinstance(r, Canceled) for r in results), results

    asyncio.run(main())
    wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)


def test_fork_child_forgets_the_inboxes(fresh):
    """A fork() child closes its copies of the inboxes' sockets without calling the
    library and gets ForkedProcessError from the async client; the parent's loop keeps
    receiving its own answers while the child lives."""
    loop = asyncio.new_event_loop()
    c = AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token)
    try:
        assert loop.run_until_complete(c.get_workspaces())
        fd = _inbox.loop_inbox(_runtime.lib, loop).fd
        report_r, report_w = os.pipe()
        go_r, go_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: must not touch the Go runtime
            try:
                try:
                    os.fstat(fd)
                    message = "the inbox's socket is still open in the child"
                except OSError:
                    try:
                        asyncio.run(c.get_workspaces())
                        message = "no error"
                    except ForkedProcessError as exc:
                        message = "ok " + str(exc)
            except BaseException as exc:  # report anything else to the parent
                message = f"wrong error {type(exc).__name__}: {exc}"
            os.write(report_w, message.encode())
            os.read(go_r, 1)  # live on while the parent makes calls
            os._exit(0)
        os.close(report_w)
        os.close(go_r)
        try:
            message = os.read(report_r, 4096).decode()
            for _ in range(5):  # the parent's wake-ups all reach the parent
                assert loop.run_until_complete(asyncio.wait_for(c.get_pdf(160), 10)).startswith(b"%PDF-")
        finally:
            os.write(go_w, b"x")
            os.waitpid(pid, 0)
            for f in (report_r, go_w):
                os.close(f)
        assert message.startswith("ok ") and "fork()" in message, message
    finally:
        c.close()
        loop.close()


CTRL_C = textwrap.dedent("""
    import asyncio, sys
    from cxreports import AsyncCxReportClientV1

    async def main():
        async with AsyncCxReportClientV1(sys.argv[1], 1, sys.argv[2]) as c:
            await c.get_pdf(160, {"params": {"fakeDelayMs": 30000}})
        print("finished without interruption", flush=True)

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("KeyboardInterrupt", flush=True)
        raise
""")


def test_ctrl_c_interrupts_asyncio_run(fresh):
    """asyncio.run's SIGINT handling cancels the main task; the call's cancellation goes
    to Go, its answer comes through the inbox, and KeyboardInterrupt ends the program."""
    child = subprocess.Popen(sigint_default([sys.executable, "-c", CTRL_C, fresh.url, fresh.token]),
                             env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: fresh.stats()["in_flight"] == 1)
        os.kill(child.pid, signal.SIGINT)
        out, err = child.communicate(timeout=15)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "KeyboardInterrupt" in out and "finished" not in out, (out, err)
    assert child.returncode != 0
    wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)
