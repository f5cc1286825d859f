"""Every method against the fake server: results of the right kind, and the request the
fake received."""

from __future__ import annotations

import base64
import json
import urllib.parse

import pytest

from conftest import field, pdf_text


def last_request(fake):
    reqs = fake.api_requests()
    assert reqs, "the fake received no request"
    return reqs[-1]


def test_lists(client, fresh):
    workspaces = client.get_workspaces()
    assert isinstance(workspaces, list)
    assert {(w["id"], w["code"]) for w in workspaces} >= {(1, "main"), (0, "zero"), (26, "sales team")}
    assert "createdAt" in workspaces[0]  # fields the spec does not name survive
    assert {t["code"] for t in client.get_report_types()} >= {"invoice", "other"}
    assert [t["code"] for t in client.get_themes()] == ["dark"]
    assert [t["code"] for t in client.get_templates()] == ["Default"]
    assert {j["id"] for j in client.get_jobs()} >= {42, 43}


def test_workspace_override_by_id_zero_and_code(client, fresh):
    client.get_themes(0)
    assert field(last_request(fresh), "path") == "/api/v1/ws/0/themes"
    client.get_themes("sales team")
    assert field(last_request(fresh), "path") == "/api/v1/ws/sales team/themes"
    client.get_themes()
    assert field(last_request(fresh), "path") == "/api/v1/ws/1/themes"


def test_reports_filter_and_paging(client, fresh):
    assert {r["id"] for r in client.get_reports()} >= {160, 161}
    others = client.get_reports(type="other")
    assert [r["id"] for r in others] == [161]
    client.get_reports(offset=1, limit=1)
    query = urllib.parse.parse_qs(field(last_request(fresh), "raw_query"))
    assert query["offset"] == ["1"] and query["limit"] == ["1"]


def test_report_pages(client):
    pages = client.get_report_pages(160)
    assert len(pages) == 3 and {"id", "name", "type"} <= set(pages[0])
    assert client.get_report_pages("invoice", "sales team") == pages


def test_get_pdf_shows_params(client, fresh):
    pdf = client.get_pdf(160, {"params": {"title": "Ünïcode & more"}, "timezone": "UTC"}, theme="3",
                         template="Default")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    query = urllib.parse.parse_qs(field(last_request(fresh), "raw_query"))
    assert json.loads(base64.urlsafe_b64decode(query["params"][0])) == {"title": "Ünïcode & more"}
    assert query["theme"] == ["3"] and query["template"] == ["Default"]
    assert "Invoice" in pdf_text(pdf)


def test_get_pdf_deprecated_reportId(client):
    with pytest.warns(DeprecationWarning, match="'reportId' is deprecated"):
        pdf = client.get_pdf(reportId=160)
    assert pdf.startswith(b"%PDF-")
    with pytest.raises(TypeError, match="report_id"):
        client.get_pdf()


def test_get_pdf_url(client, fresh):
    url = client.get_pdf_url(160, {"params": {"a": 1}}, 26, theme="3")
    assert url.startswith(fresh.url + "/api/v1/ws/26/reports/160/pdf?params=")
    assert fresh.token not in url and not fresh.api_requests()


def test_post_pdf_carries_data(client):
    pdf = client.post_pdf(160, {"data": {"invoiceNumber": "INV-4711"}, "params": {"title": "Q1"}})
    assert pdf.startswith(b"%PDF-") and "INV-4711" in pdf_text(pdf)
    assert client.post_pdf("invoice").startswith(b"%PDF-")


def test_export_cycle(client):
    start = client.start_report_export(160, {"data": {"title": "Quarterly"}})
    temp_file_id = start["temporaryFileId"]
    status = client.wait_for_export(temp_file_id, poll_interval=0.05)
    assert status["isReady"] is True and status["status"] == "Completed"
    assert client.get_export_status(temp_file_id)["isReady"] is True
    content = client.get_export_content(temp_file_id)
    assert content.startswith(b"%PDF-") and "Quarterly" in pdf_text(content)


def test_temporary_data(client, fresh):
    temp = client.push_temporary_data({"customer": "ACME-77"}, expiry_date="2099-01-01T00:00:00Z")
    assert set(temp) >= {"tempDataId", "expiryDate"}
    body = json.loads(field(last_request(fresh), "body"))
    assert body["content"] == {"customer": "ACME-77"} and body["expiryDate"].startswith("2099-01-01")
    pdf = client.get_pdf(160, {"tempDataId": temp["tempDataId"]})
    assert "ACME-77" in pdf_text(pdf)


def test_nonce_and_preview_urls(client, fresh):
    assert client.create_auth_token()["nonce"]
    url = client.get_preview_url(160, {"lang": "de"}, 26)
    parts = urllib.parse.urlsplit(url)
    assert parts.path == "/ws/26/reports/160/preview"
    query = urllib.parse.parse_qs(parts.query)
    assert query["lang"] == ["de"] and query["nonce"][0]
    assert client.get_preview_url(160) != client.get_preview_url(160)  # fresh nonce each time
    with_data = client.get_preview_url(160, data={"shown": "in the preview"})
    assert "tempDataId=" in with_data


def test_jobs(client, fresh):
    run = client.start_job_run(42, {"params": {"month": "2024-01"}, "data": {}})
    run_id = run["jobRunId"]
    status = client.wait_for_job_run(42, run_id, poll_interval=0.05)
    assert status["finished"] is True
    assert client.get_job_run_status(42, run_id)["finished"] is True
    review = client.get_run_review_document("monthly", run_id)
    assert "temporaryFileId" in review
    assert client.deliver_job_run_entries(42, run_id) is None
    assert fresh.stats()["deliveries"] == {str(run_id): 1}
