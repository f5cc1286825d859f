"""Progress callbacks of the downloads: get_pdf, post_pdf, get_export_content and save_*."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cxreports import AsyncCxReportClientV1, CxReportClientV1, CxReportsError, Progress

SIZE = 2_000_000
BIG = {"params": {"fakeSizeBytes": SIZE}}


def check(events, size):
    """A first "downloading" event at 0 of the announced size, byte counts that never
    decrease, one final "done" with bytes_done == bytes_total == size."""
    assert all(isinstance(e, Progress) for e in events)
    assert len(events) >= 2, events
    first, last = events[0], events[-1]
    assert (first.stage, first.bytes_done, first.bytes_total) == ("downloading", 0, size)
    for before, after in zip(events, events[1:-1]):
        assert after.stage == "downloading" and after.bytes_done >= before.bytes_done
    assert (last.stage, last.bytes_done, last.bytes_total) == ("done", size, size)
    assert [e.stage for e in events].count("done") == 1


@pytest.fixture
def temp_file_id(client):
    tid = client.start_report_export(160, BIG)["temporaryFileId"]
    client.wait_for_export(tid, poll_interval=0.05)
    return tid


def test_byte_downloads_report_progress(client, temp_file_id):
    for call in (lambda p: client.get_pdf(160, BIG, progress=p),
                 lambda p: client.post_pdf(160, BIG, progress=p),
                 lambda p: client.get_export_content(temp_file_id, progress=p)):
        events = []
        data = call(events.append)
        assert data.startswith(b"%PDF-") and len(data) >= SIZE
        check(events, len(data))


def test_saves_report_progress(client, temp_file_id, tmp_path):
    for name, call in (("a.pdf", lambda t, p: client.save_pdf(160, t, BIG, progress=p)),
                       ("b.pdf", lambda t, p: client.save_post_pdf(160, t, BIG, progress=p)),
                       ("c.pdf", lambda t, p: client.save_export_content(temp_file_id, t, progress=p))):
        target = tmp_path / name
        events = []

        def record(event, target=target, events=events):
            if event.stage == "done":  # the file is in place before "done"
                assert target.stat().st_size == event.bytes_done
            events.append(event)

        result = call(target, record)
        assert result["bytes"] == target.stat().st_size >= SIZE
        check(events, result["bytes"])


def test_progress_from_another_thread(client, tmp_path):
    """A worker thread with a progress callback takes the asynchronous route too."""
    out = {}

    def work():
        events = []
        out["result"] = client.save_pdf(160, tmp_path / "t.pdf", BIG, progress=events.append)
        out["events"] = events

    t = threading.Thread(target=work)
    t.start()
    t.join(60)
    check(out["events"], out["result"]["bytes"])


def test_progress_exception_cancels_the_download(tmp_path):
    """The server sends the start of a long PDF, then holds the connection: only the
    cancellation that follows the callback's exception can end the call."""
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(10_000_000))
            self.end_headers()
            self.wfile.write(b"%PDF-" + b"x" * 100_000)
            self.wfile.flush()
            release.wait(30)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(event):
        raise LookupError("enough")

    try:
        with CxReportClientV1(f"http://127.0.0.1:{server.server_address[1]}", 1, "t0ken") as c:
            with pytest.raises(LookupError, match="enough"):
                c.save_pdf(160, tmp_path / "x.pdf", progress=stop)
        assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary file
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_failed_download_has_no_done_event(client, fresh, tmp_path):
    fresh.inject("GET", "/api/v1/ws/1/reports/160/pdf", *[{"truncate": True}] * 5)
    events = []
    with pytest.raises(CxReportsError):
        client.save_pdf(160, tmp_path / "x.pdf", progress=events.append)
    # Each cut answer began (headers, then part of the body), so its download was
    # reported; none of them ended, so none was reported done. Without the first part
    # this would pass with no event at all.
    stages = [e.stage for e in events]
    assert stages and set(stages) == {"downloading"}, stages


def test_async_downloads_report_progress(fresh, tmp_path):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            events = []
            data = await c.get_pdf(160, BIG, progress=events.append)
            check(events, len(data))
            events = []
            result = await c.save_post_pdf(160, tmp_path / "a.pdf", BIG, progress=events.append)
            check(events, result["bytes"])

    asyncio.run(main())
