"""Saving to a path without holding the file in memory, waits and progress callbacks."""

from __future__ import annotations

import pytest

from cxreports import CxReportsError, Progress, Timeout

from conftest import pdf_text


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


def test_export_to_file_with_progress(client, tmp_path):
    events = []
    target = tmp_path / "export.pdf"
    result = client.export_to_file(160, target, {"data": {"title": "exported"}}, poll_interval=0.05,
                                   progress=events.append)
    assert target.read_bytes().startswith(b"%PDF-") and result["bytes"] == target.stat().st_size
    assert result.get("temporary_file_id")
    assert events and all(isinstance(e, Progress) for e in events)
    stages = [e.stage for e in events]
    assert "waiting" in stages and stages[-1] == "done"
    assert any(e.status == "InProgress" for e in events if e.stage == "waiting")


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
