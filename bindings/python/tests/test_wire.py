"""Wire conformance: for every method and a set of tricky inputs, the official client
0.0.5 and ours send the same HTTP method, path, query (decoded, in order) and JSON body.
Where the official client loses input on purpose, the documented difference is asserted.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from typing import Any, Callable, Dict, List, Tuple

import pytest

from cxreports import CxReportClientV1, InvalidInput

from conftest import official_client
from recording_server import Recorder

Official = official_client()  # cxreports-api-client==0.0.5

TRICKY = {
    "title": "Ünïcødé — “quotes” & <tags> = 100% ✓",
    "spaces and & and =": "a b&c=d?e#f/g+h",
    "n": 1, "f": 1.5, "big": 1e20, "small": 1e-07, "neg": -0.0,
    "flag": True, "off": False, "none": None,
    "nested": {"list": [1, "two", {"three": [True, None]}], "empty": {}, "emoji": "😀"},
}


@pytest.fixture(scope="module")
def recorder():
    r = Recorder()
    yield r
    r.close()


@pytest.fixture(scope="module")
def pair(recorder):
    ours = CxReportClientV1(recorder.url, 1, "tok", max_retries=-1)
    yield Official(recorder.url, 1, "tok"), ours
    ours.close()


def normalize(record: Dict[str, Any]) -> Tuple[str, str, List[Tuple[str, str]], Any]:
    path, _, query = record["target"].partition("?")
    body = record["body"]
    return (record["method"], urllib.parse.unquote(path),
            urllib.parse.parse_qsl(query, keep_blank_values=True),
            json.loads(body) if body else None)


def run_both(recorder: Recorder, pair, call: Callable[[Any], Any]):
    official, ours = pair
    recorder.take()
    theirs_result = call(official)
    theirs = [normalize(r) for r in recorder.take()]
    ours_result = call(ours)
    mine = [normalize(r) for r in recorder.take()]
    return theirs, mine, theirs_result, ours_result


CASES: Dict[str, Callable[[Any], Any]] = {
    "get_workspaces": lambda c: c.get_workspaces(),
    "get_report_types": lambda c: c.get_report_types(),
    "get_report_types ws 0": lambda c: c.get_report_types(0),
    "get_report_types ws code with space": lambda c: c.get_report_types("sales team"),
    "get_themes ws code": lambda c: c.get_themes(workspace_id="main"),
    "get_templates": lambda c: c.get_templates(26),
    "get_jobs": lambda c: c.get_jobs(),
    "get_reports": lambda c: c.get_reports(),
    "get_reports type": lambda c: c.get_reports(type="other"),
    "get_reports tricky type": lambda c: c.get_reports("a b&c=d/é", "sales team"),
    "get_report_pages": lambda c: c.get_report_pages(160),
    "get_report_pages code": lambda c: c.get_report_pages("invoice", 26),
    "get_pdf": lambda c: c.get_pdf(160),
    "get_pdf all known keys": lambda c: c.get_pdf(160, {
        "template": "Default", "theme": "3", "includeAttachments": True, "type": "x y&z",
        "lang": "sr-Latn", "timezone": "Europe/Belgrade", "data": "{\"a\": \"b & c\"}",
        "nonce": "abc def", "params": TRICKY, "tempDataId": 5}),
    "get_pdf theme template args": lambda c: c.get_pdf(160, {"params": {"x": "y"}}, 26, "3", "Default"),
    "get_pdf includeAttachments false": lambda c: c.get_pdf(160, {"includeAttachments": False}),
    "get_pdf empty params": lambda c: c.get_pdf(160, {"params": {}}),
    "get_pdf code ws code": lambda c: c.get_pdf("invoice", None, "sales team"),
    "post_pdf": lambda c: c.post_pdf(160),
    "post_pdf tricky body": lambda c: c.post_pdf(160, {"data": TRICKY, "params": {"title": "Q1 & Q2"},
                                                        "timezone": "UTC", "theme": "3", "template": "2",
                                                        "excludePages": [1, 3], "includeAttachments": False}),
    "post_pdf format given": lambda c: c.post_pdf(160, {"format": "docx"}, 0),
    "start_report_export": lambda c: c.start_report_export(160, {"data": {"title": "Quarterly"},
                                                                  "format": "pdf", "tempDataId": 5}),
    "start_report_export default body": lambda c: c.start_report_export("invoice", None, "main"),
    "get_export_status": lambda c: c.get_export_status(7),
    "get_export_content": lambda c: c.get_export_content(7, 26),
    "push_temporary_data": lambda c: c.push_temporary_data(TRICKY),
    "push_temporary_data list ws": lambda c: c.push_temporary_data([1, "ü", None], "sales team"),
    "create_auth_token": lambda c: c.create_auth_token(),
    "get_preview_url": lambda c: c.get_preview_url(160),
    "get_preview_url params": lambda c: c.get_preview_url(160, {"tempDataId": 5, "params": TRICKY,
                                                                "lang": "de", "timezone": "UTC"}, 26),
    "start_job_run": lambda c: c.start_job_run(42),
    "start_job_run body": lambda c: c.start_job_run(42, {"params": {"month": "2024-01"}, "data": TRICKY}),
    "get_job_run_status": lambda c: c.get_job_run_status(42, 9),
    "get_run_review_document": lambda c: c.get_run_review_document(42, 9, "main"),
    "deliver_job_run_entries": lambda c: c.deliver_job_run_entries("monthly", 9),
}


@pytest.mark.parametrize("name", list(CASES))
def test_same_request_as_official(recorder, pair, name):
    theirs, mine, theirs_result, ours_result = run_both(recorder, pair, CASES[name])
    assert mine == theirs
    if name.startswith("get_preview_url"):
        assert urllib.parse.unquote(ours_result) == urllib.parse.unquote(theirs_result)
    else:
        assert ours_result == theirs_result
        assert type(ours_result) is type(theirs_result)


def test_get_pdf_forwards_keys_the_official_client_drops(recorder, pair):
    params = {"params": {"a": 1}, "format": "docx", "excludePages": [2, 3], "timezone": "UTC"}
    theirs, mine, _, _ = run_both(recorder, pair, lambda c: c.get_pdf(160, dict(params)))
    their_query, my_query = theirs[0][2], mine[0][2]
    assert [k for k, _ in their_query] == ["params", "timezone"]
    # Known keys first, in the official order, then the extra keys in the caller's order.
    assert my_query[:2] == their_query
    # A list becomes one key per item, as urlencode(doseq=True) would write it.
    assert my_query[2:] == [("format", "docx"), ("excludePages", "2"), ("excludePages", "3")]


def test_caller_dicts_are_not_mutated(recorder, pair):
    official, ours = pair
    params = {"params": {"a": 1}}
    body: Dict[str, Any] = {"data": {"x": 1}}
    preview: Dict[str, Any] = {"tempDataId": 5}
    snapshot = copy.deepcopy((params, body, preview))
    ours.get_pdf(160, params, theme="3", template="2")
    ours.post_pdf(160, body)
    ours.start_report_export(160, body)
    ours.get_preview_url(160, preview)
    assert (params, body, preview) == snapshot
    # The official client does mutate them (documented difference).
    official.get_pdf(160, params, theme="3")
    official.post_pdf(160, body)
    assert params.get("theme") == "3" and body.get("format") == "pdf"
    recorder.take()


def test_workspace_codes_with_url_delimiters_are_escaped(recorder, pair):
    _, ours = pair
    recorder.take()
    ours.get_themes("a#b?c/d")
    ours.get_report_pages("r e#p?")
    targets = [r["target"] for r in recorder.take()]
    assert [urllib.parse.unquote(t.split("?")[0]) for t in targets] == [
        "/api/v1/ws/a#b?c/d/themes", "/api/v1/ws/1/reports/r e#p?/pages"]
    assert all("#" not in t and "?" not in t for t in targets)


def test_user_agent_names_the_binding(recorder, pair):
    _, ours = pair
    recorder.take()
    ours.get_workspaces()
    (record,) = recorder.take()
    agent = {k.lower(): v for k, v in record["headers"].items()}["user-agent"]
    assert "cxreports-python/" in agent and "cxreports-go/" in agent
    assert {k.lower(): v for k, v in record["headers"].items()}["authorization"] == "Bearer tok"


@pytest.mark.parametrize("query,forwarded", [
    ({"tempDataId": "5"}, [("tempDataId", "5")]),
    ({"theme": 3}, [("theme", "3")]),
    ({"custom": {"x": 1}}, [("custom", '{"x":1}')]),
])
def test_values_the_official_client_drops_are_forwarded(recorder, pair, query, forwarded):
    theirs, mine, _, _ = run_both(recorder, pair, lambda c: c.get_pdf(160, dict(query)))
    assert theirs[0][2] == []
    assert mine[0][2] == forwarded


@pytest.mark.parametrize("query", [
    {"params": '{"a": 1}'}, {"params": [1, 2]}, {"tempDataId": 5.5},
    {"includeAttachments": "yes"}, {"lang": 5},
])
def test_values_the_official_client_drops_are_rejected_when_unencodable(recorder, pair, query):
    official, ours = pair
    recorder.take()
    official.get_pdf(160, dict(query))
    assert "?" not in recorder.take()[0]["target"]  # silently dropped
    with pytest.raises(InvalidInput, match=next(iter(query))):
        ours.get_pdf(160, dict(query))
    assert recorder.take() == []
