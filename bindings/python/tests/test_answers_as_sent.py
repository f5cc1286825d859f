"""The server's answers as they come: every JSON-returning method gives exactly what the
official client 0.0.5 gives (``response.json()``) for answers with GUID ids, floats, nulls
and members nobody documented, and the export, temporary-data, preview and job flows
work against the fake with integer ids and with GUID ids.
"""

from __future__ import annotations

import json

import pytest

import recording_server
from cxreports import CxReportClientV1
from conftest import official_client, start_fake, stop_fake
from recording_server import Recorder

Official = official_client()  # cxreports-api-client==0.0.5

G = "3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f"
# Raw answer bodies, by the end of the request path: key order, number spellings,
# nulls and unknown members all matter.
ANSWERS = {
    "/export": '{"temporaryFileId": "%s", "queuedAt": null, "weight": 1.0}' % G,
    "/exports/%s/status" % G: ('{"status": "Completed", "isReady": true, "id": "%s", "contentSize": 12.5, '
                               '"errorMessage": null, "expiryTime": "2030-01-01", "new": {"a": [1, "2", 3.0]}}' % G),
    "/temporary-data": '{"expiryDate": "2030-01-01T00:00:00Z", "tempDataId": "%s", "x": 1e3}' % G,
    "/runs": '{"jobRunId": "%s", "later": [null]}' % G,
    "/runs/%s/status" % G: '{"finished": true, "entries": "3", "status": {"queued": 0.0, "paused": 2}, "z": -0.0}',
    "/generate-review-document": '{"temporaryFileId": 7.0}',
    "/nonce-tokens": '{"nonce": "n", "ttl": 300.5}',
    "/api/v1/workspaces": '[{"id": "%s", "name": null, "code": "main", "createdAt": "x"}, {"id": 2.0}]' % G,
    "/themes": '[{"code": "dark", "id": 3, "extra": {"deep": [true, false, null]}}]',
    "/reports": '[{"id": 160, "isDefault": "yes", "previewImage": null}]',
}


def crafted(method: str, path: str):
    for suffix, body in ANSWERS.items():
        if path.endswith(suffix):
            return 200, "application/json; charset=utf-8", body.encode()
    return recording_server_answer(method, path)


recording_server_answer = recording_server.answer

CALLS = [
    ("get_workspaces", lambda c: c.get_workspaces()),
    ("get_themes", lambda c: c.get_themes(1)),
    ("get_reports", lambda c: c.get_reports(None, 1)),
    ("start_report_export", lambda c: c.start_report_export(160, {}, 1)),
    ("get_export_status", lambda c: c.get_export_status(G, 1)),
    ("push_temporary_data", lambda c: c.push_temporary_data({"a": 1}, 1)),
    ("create_auth_token", lambda c: c.create_auth_token()),
    ("start_job_run", lambda c: c.start_job_run(42, {}, 1)),
    ("get_job_run_status", lambda c: c.get_job_run_status(42, G, 1)),
    ("get_run_review_document", lambda c: c.get_run_review_document(42, G, 1)),
]


@pytest.fixture(scope="module")
def server():
    recording_server.answer = crafted
    r = Recorder()
    try:
        yield r
    finally:
        r.close()
        recording_server.answer = recording_server_answer


@pytest.mark.parametrize("name,call", CALLS, ids=[c[0] for c in CALLS])
def test_same_answer_as_the_official_client(server, name, call):
    official = Official(server.url, 1, "tok")
    with CxReportClientV1(server.url, 1, "tok") as ours:
        theirs, mine = call(official), call(ours)
    assert mine == theirs
    # Same key order and the same types (1.0 stays a float, "3" a string).
    assert json.dumps(mine) == json.dumps(theirs)
    assert repr(mine) == repr(theirs)


def test_waits_return_the_last_status_as_sent(server):
    with CxReportClientV1(server.url, 1, "tok") as ours:
        status = ours.wait_for_export(G, 1, poll_interval=0.01)
        run = ours.wait_for_job_run(42, G, 1, poll_interval=0.01)
    assert json.dumps(status) == json.dumps(json.loads(ANSWERS["/exports/%s/status" % G]))
    assert json.dumps(run) == json.dumps(json.loads(ANSWERS["/runs/%s/status" % G]))


@pytest.fixture(scope="module", params=["int", "guid"])
def styled_fake(request):
    fake = start_fake("-ids", request.param, "-export-delay", "50ms", "-job-delay", "50ms")
    try:
        yield request.param, fake
    finally:
        stop_fake(fake)


def test_flows_with_both_id_styles(styled_fake, tmp_path):
    style, fake = styled_fake
    id_type = int if style == "int" else str
    with CxReportClientV1(fake.url, fake.workspace_id, fake.token) as c:
        start = c.start_report_export(160)
        tf = start["temporaryFileId"]
        assert type(tf) is id_type
        assert c.wait_for_export(tf, poll_interval=0.02)["id"] == tf
        assert c.get_export_content(tf).startswith(b"%PDF-")
        result = c.export_to_file(160, tmp_path / "e.pdf", poll_interval=0.02)
        assert type(result["temporary_file_id"]) is id_type
        assert (tmp_path / "e.pdf").read_bytes().startswith(b"%PDF-")

        td = c.push_temporary_data({"rows": [1, 2]})["tempDataId"]
        assert type(td) is id_type
        assert c.get_pdf(160, {"tempDataId": td}).startswith(b"%PDF-")
        assert c.post_pdf(160, {"tempDataId": td}).startswith(b"%PDF-")
        assert "tempDataId=" in c.get_preview_url(160, None, data={"x": 1})

        run = c.start_job_run("monthly")["jobRunId"]
        assert type(run) is id_type
        assert c.wait_for_job_run("monthly", run, poll_interval=0.02)["finished"] is True
        review = c.get_run_review_document("monthly", run)["temporaryFileId"]
        c.wait_for_export(review, poll_interval=0.02)
        assert c.deliver_job_run_entries("monthly", run) is None
    assert fake.stats()["deliveries"] == {str(run): 1}
