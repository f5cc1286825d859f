"""open_pdf, open_post_pdf and open_export_content: downloads read as binary file-like
objects, at the reader's pace, with flat memory; closing early cancels the download."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import time

import pytest

from conftest import python_child

from cxreports import AsyncCxReportClientV1, ConnectionFailed, NotFound
from cxreports._stream import AsyncReportStream, ReportStream


def sized(n: int) -> dict:
    return {"params": {"fakeSizeBytes": n}}


def test_open_pdf_reads_like_a_file(client):
    want = client.get_pdf(160, sized(300_000), theme="dark")
    with client.open_pdf(160, sized(300_000), theme="dark") as s:
        assert isinstance(s, io.RawIOBase) and isinstance(s, ReportStream)
        assert s.readable() and not s.seekable()
        assert s.content_type == "application/pdf"
        assert s.length == len(want)
        assert s.filename and s.filename.endswith(".pdf")
        head = s.read(5)
        assert head == b"%PDF-"
        small = bytearray(1000)
        n = s.readinto(small)
        assert n == 1000
        rest = b"".join(s)  # iteration: chunks, not lines
        assert head + bytes(small) + rest == want
        assert s.read(10) == b""
    assert s.closed
    s.close()  # twice is harmless
    with pytest.raises(ValueError):
        s.read(1)


def test_open_post_pdf_and_export_content(client):
    body = {"params": {"fakeSizeBytes": 200_000}, "format": "pdf"}
    want = client.post_pdf(160, body)
    with client.open_post_pdf(160, body) as s:
        got = s.read()
    assert len(got) == len(want) and got.startswith(b"%PDF-")
    temp = client.start_report_export(160, {"format": "docx"})["temporaryFileId"]
    client.wait_for_export(temp, poll_interval=0.05)
    want = client.get_export_content(temp)
    with client.open_export_content(temp) as s:
        assert s.length == len(want)
        out = io.BytesIO()
        shutil.copyfileobj(s, out)
    assert out.getvalue() == want


def test_errors_are_the_library_errors(client, fresh):
    with pytest.raises(NotFound):
        client.open_pdf(999999)
    path = f"/api/v1/ws/{fresh.workspace_id}/reports/160/pdf"
    fresh.inject("GET", path, {"drop_mid_body": True})
    got = 0
    with client.open_pdf(160, sized(4_000_000)) as s:
        with pytest.raises(ConnectionFailed):
            while True:
                chunk = s.read(65536)
                assert chunk, "the stream ended normally although it was cut"
                got += len(chunk)
    assert got > 0, "bytes were handed out before the cut"
    pdf_gets = [r for r in fresh.api_requests() if r.get("path", r.get("Path")) == path]
    assert len(pdf_gets) == 1, "a stream that handed out bytes never starts over"


# A child process, so that its peak RSS is the stream's alone: the 200 MB copied with
# shutil.copyfileobj, then a slow consumer (1 MiB, 50 ms pause) whose RSS must stay flat,
# closed early.
CHILD = r"""
import json, os, shutil, sys, time
from cxreports import CxReportClientV1

def status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

def rss_mb():
    return status_mb("VmRSS")

url, ws, token = sys.argv[1], sys.argv[2], sys.argv[3]
class Sink:
    n = 0
    def write(self, b):
        self.n += len(b)
        return len(b)

with CxReportClientV1(url, int(ws), token) as client:
    s = client.open_pdf(160, {"params": {"fakeSizeBytes": 200 * 1024 * 1024}})
    sink = Sink()
    with s:
        shutil.copyfileobj(s, sink)
        copied, length = sink.n, s.length
    # VmHWM, this process image's own peak: getrusage's ru_maxrss survives exec, so it
    # would report the parent's size when that was larger (pytest after the whole suite).
    peak = status_mb("VmHWM")
    s = client.open_pdf(160, {"params": {"fakeSizeBytes": 200 * 1024 * 1024}})
    samples = []
    for i in range(30):
        assert len(s.read(1 << 20)) > 0
        samples.append(rss_mb())
        time.sleep(0.05)
    start = time.monotonic()
    s.close()
    closed_in = time.monotonic() - start
    print(json.dumps({"copied": copied, "length": length, "peak_mb": peak, "slow_rss": samples,
                      "closed_in": closed_in}), flush=True)
    time.sleep(5)  # the parent checks the fake while this client still exists
"""


def test_200mb_with_flat_memory_and_early_close(fresh):
    with python_child(CHILD, fresh.url, str(fresh.workspace_id), fresh.token) as child:
        line = child.stdout.readline()
        assert line, child.stderr.read()
        res = json.loads(line)
        deadline = time.monotonic() + 2
        while fresh.stats()["in_flight"] and time.monotonic() < deadline:
            time.sleep(0.02)
        in_flight = fresh.stats()["in_flight"]
    print(f"200 MB via copyfileobj: peak RSS {res['peak_mb']:.1f} MB; slow consumer RSS "
          f"{min(res['slow_rss']):.1f}-{max(res['slow_rss']):.1f} MB; close {res['closed_in'] * 1000:.0f} ms")
    assert res["copied"] == res["length"] >= 200 * 1024 * 1024
    assert res["peak_mb"] < 80, res
    slow = res["slow_rss"]
    assert max(slow[5:]) - min(slow[5:]) < 8, f"RSS grew while the consumer was slow: {slow}"
    assert res["closed_in"] < 2
    assert in_flight == 0, "closing the stream left its request in flight at the fake"


async def cancel_closes(task: "asyncio.Task", s: AsyncReportStream, fresh) -> None:
    """Cancels a task that is reading s: the task ends Cancelled, s is closed and, within
    2 s, the library has no call in flight (the download was stopped)."""
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert s.closed
    deadline = time.monotonic() + 2
    while fresh.stats()["in_flight"] and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert fresh.stats()["in_flight"] == 0


def test_async_open_pdf(fresh):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            want = await c.get_pdf(160, sized(500_000))
            pending = c.open_pdf(160, sized(500_000))
            assert asyncio.iscoroutine(pending)
            s = await pending
            assert isinstance(s, AsyncReportStream)
            assert s.length == len(want) and s.content_type == "application/pdf"
            async with s:
                head = await s.read(5)
                chunks = [chunk async for chunk in s]
            assert s.closed
            assert head + b"".join(chunks) == want
            with pytest.raises(NotFound):
                await c.open_pdf(999999)

            # Cancelling a task that reads closes the stream: the download ends.
            s = await c.open_post_pdf(160, sized(200 * 1024 * 1024))

            async def slow():
                async with s:
                    async for _ in s:
                        await asyncio.sleep(0.05)

            task = asyncio.create_task(slow())
            await asyncio.sleep(0.3)
            assert fresh.stats()["in_flight"] == 1
            await cancel_closes(task, s, fresh)

            # Cancelling the task while its read waits on a thread closes the stream.
            s = await c.open_pdf(160, sized(200 * 1024 * 1024))
            task = asyncio.create_task(s.read(-1))  # the whole file: still reading when cancelled
            await asyncio.sleep(0.05)
            await cancel_closes(task, s, fresh)

    asyncio.run(main())


def test_async_stream_reads_through_the_loops_inbox(fresh):
    """The async stream's open and reads complete as events of the loop's inbox (one
    event each): no thread is started for them, and read(n) of any size is served from
    the pieces in order."""
    import threading

    from cxreports import _inbox

    async def main():
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            want = await c.get_pdf(160, sized(20_000_000))
            threads = threading.active_count()
            before = _inbox.deliveries["done"]
            async with await c.open_pdf(160, sized(20_000_000)) as s:
                chunks = [chunk async for chunk in s]
            taken = _inbox.deliveries["done"] - before
            assert b"".join(chunks) == want
            assert threading.active_count() == threads, "the async stream started threads"
            # the open, one read per chunk, and the read that found the end
            assert taken == len(chunks) + 2, (taken, len(chunks))

            # read(n) of any size is served from the pieces, in order.
            async with await c.open_pdf(160, sized(300_000)) as s:
                parts = [await s.read(7), await s.read(100_000), await s.read(-1)]
                assert await s.read(10) == b""
            assert b"".join(parts) == await c.get_pdf(160, sized(300_000))

    asyncio.run(main())


def test_async_stream_dropped_unclosed_is_closed(fresh):
    """An async stream dropped without close() is closed when collected: its download
    ends at the fake."""
    import gc

    async def main():
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            s = await c.open_pdf(160, sized(200 * 1024 * 1024))
            await s.read(10)
            assert fresh.stats()["in_flight"] == 1
            del s
            gc.collect()
            deadline = time.monotonic() + 2
            while fresh.stats()["in_flight"] and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            assert fresh.stats()["in_flight"] == 0

    asyncio.run(main())
