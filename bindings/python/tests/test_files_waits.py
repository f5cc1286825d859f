"""Saving to a path without holding the file in memory, waits and progress callbacks."""

from __future__ import annotations

import pytest

from cxreports import CxReportsError, Progress, Timeout

from conftest import field, pdf_text


def test_save_pdf(client, tmp_path):
    target = tmp_path / "out.pdf"
    result = client.save_pdf(160, target, {"params": {"title": "saved"}}, theme="3")
    assert result["path"] == str(target) and result["bytes"] == target.stat().st_size
    assert result["content_type"].startswith("application/pdf")
    assert "saved" in pdf_text(target.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]  # no temporary file left


def test_save_large_pdf_streams(client, tmp_path):
    target = str(tmp_path / "big.pdf")
    result = client.save_pdf(160, target, {"params": {"fakeSizeBytes": 20_000_000}})
    assert result["bytes"] >= 20_000_000


def test_save_post_pdf(client, tmp_path):
    target = tmp_path / "post.pdf"
    result = client.save_post_pdf(160, target, {"data": {"marker": "POSTED-1"}})
    assert result["bytes"] == target.stat().st_size and "POSTED-1" in pdf_text(target.read_bytes())


def test_failed_download_leaves_no_file(client, fresh, tmp_path):
    fresh.inject("GET", "/api/v1/ws/1/reports/160/pdf", *[{"truncate": True}] * 5)
    with pytest.raises(CxReportsError):
        client.save_pdf(160, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def status_polls(fake) -> list:
    return [r for r in fake.api_requests() if field(r, "path").endswith("/status")]


def test_export_to_file_with_progress(client, fresh, tmp_path):
    """Start, wait and download in one call: every status poll is reported as a
    "waiting" event counting the polls, then the download, then "done" once the file
    is in place. Whether the first poll still finds the export InProgress depends on
    the machine's speed, so that part is the next test's."""
    events = []
    target = tmp_path / "export.pdf"
    result = client.export_to_file(160, target, {"data": {"title": "exported"}}, poll_interval=0.05,
                                   progress=events.append)
    assert target.read_bytes().startswith(b"%PDF-") and result["bytes"] == target.stat().st_size
    assert result.get("temporary_file_id")
    assert events and all(isinstance(e, Progress) for e in events)
    waiting = [e for e in events if e.stage == "waiting"]
    assert [e.polls for e in waiting] == list(range(1, len(status_polls(fresh)) + 1))
    assert waiting[-1].status == "Completed" and all(e.status == "InProgress" for e in waiting[:-1])
    stages = [e.stage for e in events]
    assert stages == ["waiting"] * len(waiting) + stages[len(waiting):] and stages[-1] == "done"
    assert set(stages[len(waiting):-1]) == {"downloading"}


class EnoughPolls(Exception):
    pass


def test_export_to_file_reports_in_progress_polls(client, fresh, tmp_path):
    """An export that stays InProgress far longer than the test (a minute: only the
    callback ends the wait, no clock bound) is reported poll by poll as InProgress; the
    callback stops it after three."""
    events = []

    def record(event):
        events.append(event)
        if len(events) == 3:
            raise EnoughPolls()

    with pytest.raises(EnoughPolls):
        client.export_to_file(160, tmp_path / "export.pdf", {"params": {"fakeDelayMs": 60000}},
                              poll_interval=0.05, progress=record)
    assert [(e.stage, e.status, e.polls) for e in events] == [("waiting", "InProgress", n) for n in (1, 2, 3)]
    # Each reported poll is one the server answered (the cancellation the callback's
    # exception causes may let one more through before it lands), and nothing was
    # downloaded.
    assert len(status_polls(fresh)) >= 3
    assert not [r for r in fresh.api_requests() if field(r, "path").endswith("/content")]
    assert list(tmp_path.iterdir()) == []


def test_save_export_content(client, tmp_path):
    temp_file_id = client.start_report_export(160)["temporaryFileId"]
    client.wait_for_export(temp_file_id, poll_interval=0.05)
    result = client.save_export_content(temp_file_id, tmp_path / "e.pdf")
    assert result["bytes"] == (tmp_path / "e.pdf").stat().st_size


def test_wait_for_export_deadline(client):
    temp_file_id = client.start_report_export(160, {"params": {"fakeDelayMs": 30000}})["temporaryFileId"]
    with pytest.raises(Timeout):
        client.wait_for_export(temp_file_id, timeout=0.3, poll_interval=0.05)


def test_wait_for_job_run_with_progress(client):
    run_id = client.start_job_run(43)["jobRunId"]
    events = []
    status = client.wait_for_job_run(43, run_id, poll_interval=0.05, progress=events.append)
    assert status["finished"] is True and events


def test_progress_callback_exception_cancels_the_call(client):
    temp_file_id = client.start_report_export(160, {"params": {"fakeDelayMs": 30000}})["temporaryFileId"]

    def stop(event):
        raise LookupError("stop waiting")

    with pytest.raises(LookupError, match="stop waiting"):
        client.wait_for_export(temp_file_id, poll_interval=0.05, progress=stop)
