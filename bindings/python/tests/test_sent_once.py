"""The transport's two promises, through the binding on every route a Python call takes
(main thread: cx_call_bytes with interrupt_fd; worker thread: cx_call_bytes; asyncio: the
event loop's inbox, cx_inbox_call):

- a POST the server read on a reused keep-alive connection before hanging up without an
  answer is never sent again: exactly one arrives, and the caller gets ``connection``;
- a GET whose body is cut after the headers starts over, as long as nothing was handed to
  the caller (JSON, bytes in memory, a file written through a fresh temporary file).
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from cxreports import AsyncCxReportClientV1, ConnectionFailed, CxReportClientV1

from conftest import field

WS = "/api/v1/ws/1"
# Every POST of the API: (name, call, path).
POSTS = [
    ("start_job_run", lambda c: c.start_job_run(42), WS + "/jobs/42/runs"),
    ("deliver_job_run_entries", lambda c: c.deliver_job_run_entries(42, 7), WS + "/jobs/42/runs/7/deliver"),
    ("start_report_export", lambda c: c.start_report_export(160, {}), WS + "/reports/160/export"),
    ("push_temporary_data", lambda c: c.push_temporary_data({"a": 1}), WS + "/temporary-data"),
    ("create_auth_token", lambda c: c.create_auth_token(), "/api/v1/nonce-tokens"),
    ("post_pdf", lambda c: c.post_pdf(160, {}), WS + "/reports/160/pdf"),
    ("get_run_review_document", lambda c: c.get_run_review_document(42, 7),
     WS + "/jobs/42/runs/7/generate-review-document"),
]


def arrivals(fake, method: str, path: str) -> int:
    return sum(1 for r in fake.api_requests() if field(r, "method") == method and field(r, "path") == path)


def on_worker_thread(fn):
    """Runs fn on a new thread and returns its result or raises its exception."""
    box = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed back to the caller
            box["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert not t.is_alive(), "the call hung"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def sync_route(fresh, route):
    def call(fn):
        with CxReportClientV1(fresh.url, fresh.workspace_id, fresh.token, retry_wait_min=0.01,
                              retry_wait_max=0.05) as c:
            def both():
                c.get_workspaces()  # leaves a keep-alive connection for the POST to reuse
                return fn(c)
            return both() if route == "main" else on_worker_thread(both)
    return call


def async_route(fresh):
    def call(fn):
        async def main():
            async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token,
                                             retry_wait_min=0.01, retry_wait_max=0.05) as c:
                await c.get_workspaces()
                return await fn(c)
        return asyncio.run(main())
    return call


ROUTES = ["main", "worker", "asyncio"]


def route_call(fresh, route):
    return async_route(fresh) if route == "asyncio" else sync_route(fresh, route)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name,fn,path", POSTS, ids=[p[0] for p in POSTS])
def test_post_reaches_a_hanging_up_server_once(fresh, route, name, fn, path):
    fresh.inject("POST", path, {"hangup": True})
    with pytest.raises(ConnectionFailed) as info:
        route_call(fresh, route)(fn)
    assert info.value.code == "connection"
    assert fresh.token not in str(info.value)
    assert arrivals(fresh, "POST", path) == 1, f"{name} was sent more than once"


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("fault", ["drop_mid_body", "truncate"])
def test_cut_get_starts_over(fresh, route, fault, tmp_path):
    pdf_path = WS + "/reports/160/pdf"
    call = route_call(fresh, route)
    big = {"params": {"fakeSizeBytes": 1 << 20}}
    want = call(lambda c: c.get_pdf(160, big))

    fresh.reset()
    fresh.inject("GET", "/api/v1/workspaces", {fault: True})
    fresh.inject("GET", pdf_path, {fault: True}, {fault: True})
    target = tmp_path / "r.pdf"

    def flow(c):
        # get_workspaces is also the call that opens the connection; one cut each.
        return c.get_pdf(160, big)

    assert call(flow) == want
    assert arrivals(fresh, "GET", "/api/v1/workspaces") == 2
    assert arrivals(fresh, "GET", pdf_path) == 3

    fresh.inject("GET", pdf_path, {fault: True})
    result = call(lambda c: c.save_pdf(160, target, big))
    assert result["bytes"] == len(want)
    assert target.read_bytes() == want
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"], "a temporary file was left behind"


def test_cut_get_gives_up_after_the_retry_budget(fresh):
    fresh.inject("GET", "/api/v1/workspaces", *([{"drop_mid_body": True}] * 2))
    with CxReportClientV1(fresh.url, fresh.workspace_id, fresh.token, max_retries=1,
                          retry_wait_min=0.01, retry_wait_max=0.05) as c:
        with pytest.raises(ConnectionFailed):
            c.get_workspaces()
    assert arrivals(fresh, "GET", "/api/v1/workspaces") == 2
