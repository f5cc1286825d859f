"""AsyncCxReportClientV1: awaitables that leave the loop free and cancel the Go call."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from conftest import start_fake, stop_fake
from cxreports import AsyncCxReportClientV1, NotFound

from test_errors import wait_until


def run(coro):
    return asyncio.run(coro)


def test_async_calls(fresh, tmp_path):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            workspaces, pdf, themes = await asyncio.gather(
                c.get_workspaces(), c.get_pdf(160), c.get_themes("sales team"))
            assert workspaces and pdf.startswith(b"%PDF-") and themes
            events = []
            result = await c.export_to_file(160, tmp_path / "a.pdf", poll_interval=0.05,
                                            progress=events.append)
            assert result["bytes"] > 0 and events
            run_id = (await c.start_job_run(43))["jobRunId"]
            assert (await c.wait_for_job_run(43, run_id, poll_interval=0.05))["finished"] is True
            assert await c.deliver_job_run_entries(43, run_id) is None
            with pytest.raises(NotFound):
                await c.get_report_pages(424242)

    run(main())


def test_event_loop_is_not_blocked(fresh):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, 1, fresh.token) as c:
            ticks = 0
            slow = asyncio.ensure_future(c.get_pdf(160, {"params": {"fakeDelayMs": 600}}))
            while not slow.done():
                ticks += 1
                await asyncio.sleep(0.01)
            assert (await slow).startswith(b"%PDF-")
            assert ticks > 5  # the loop kept running while Go waited

    run(main())


def test_task_cancellation_cancels_the_go_call(fresh):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, 1, fresh.token) as c:
            task = asyncio.ensure_future(c.get_pdf(160, {"params": {"fakeDelayMs": 30000}}))
            while fresh.stats()["in_flight"] == 0:
                await asyncio.sleep(0.02)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # The fake sees the request go away well before its 30 s render ends.
            wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)

    run(main())


def test_wait_for_timeout_cancels(fresh):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, 1, fresh.token) as c:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(c.post_pdf(160, {"params": {"fakeDelayMs": 30000}}), 0.3)
            wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)

    run(main())


def test_progress_callback_exception_ends_the_call(fresh):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, 1, fresh.token) as c:
            start = await c.start_report_export(160, {"params": {"fakeDelayMs": 30000}})

            def stop(event):
                raise LookupError("stop waiting")

            with pytest.raises(LookupError, match="stop waiting"):
                await c.wait_for_export(start["temporaryFileId"], poll_interval=0.05, progress=stop)

    run(main())


@pytest.fixture(scope="module")
def slow_fake():
    """A bandwidth-capped fake: a 500 MB download is still running when it is cancelled."""
    server = start_fake("-bandwidth", "200mbit")
    try:
        yield server
    finally:
        stop_fake(server)


def test_cancelled_save_pdf_leaves_no_part_file(slow_fake, tmp_path):
    """CancelledError reaches the caller only once the library has stopped the download
    and removed its temporary file; several rounds, because the library often wins the
    race even when the binding does not wait for it."""

    async def one_round(c, n):
        loop = asyncio.get_running_loop()
        target = tmp_path / f"big-{n}.pdf"
        task = None
        parts_seen = []

        def on_progress(p):
            if p.bytes_done > 1_000_000 and not parts_seen:
                parts_seen.extend(f for f in os.listdir(tmp_path) if f.endswith(".part"))
                task.cancel()

        started = loop.time()
        task = asyncio.ensure_future(c.save_pdf(160, target, {"params": {"fakeSizeBytes": 500_000_000}},
                                                progress=on_progress))
        try:
            await task
            pytest.fail("save_pdf finished")
        except asyncio.CancelledError:
            left = os.listdir(tmp_path)  # at the very moment the caller sees the cancellation
        assert len(parts_seen) == 1, "the download was writing its .part file"
        assert left == [], f"round {n}: {left} left beside the target"
        assert loop.time() - started < 10, "the cancellation was prompt (the whole file takes 20 s)"

    async def main():
        async with AsyncCxReportClientV1(slow_fake.url, 1, slow_fake.token, max_retries=0) as c:
            for n in range(5):
                await one_round(c, n)

    run(main())


def test_progress_callbacks_run_on_the_loops_thread(fresh, tmp_path):
    """The README: "Progress callbacks run on the loop's thread", for the waits, the
    downloads and render_batch. The loop runs on a thread of its own, so that its thread
    is neither the main thread nor one of the library's, where the events come from."""
    seen = {}

    def recorder(name):
        seen[name] = []
        return lambda event: seen[name].append(threading.get_ident())

    async def main():
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            await c.get_pdf(160, {"params": {"fakeSizeBytes": 1_000_000}}, progress=recorder("get_pdf"))
            await c.export_to_file(160, tmp_path / "e.pdf", poll_interval=0.05, progress=recorder("export_to_file"))
            run_id = (await c.start_job_run(43))["jobRunId"]
            await c.wait_for_job_run(43, run_id, poll_interval=0.05, progress=recorder("wait_for_job_run"))
            items = [{"report": 160, "output": f"b{i}.pdf"} for i in range(2)]
            async for _ in c.render_batch(items, tmp_path, progress=recorder("render_batch")):
                pass
        return threading.get_ident()

    result = {}
    loop_thread = threading.Thread(target=lambda: result.update(ident=asyncio.run(main())))
    loop_thread.start()
    loop_thread.join(120)
    assert not loop_thread.is_alive() and "ident" in result, "the loop did not finish"
    assert result["ident"] == loop_thread.ident != threading.main_thread().ident
    for name, idents in seen.items():
        assert idents, f"{name}: no progress event, nothing was checked"
        assert set(idents) == {loop_thread.ident}, f"{name}: callbacks ran on other threads"
