"""Every error class, its message (official wording first) and attributes."""

from __future__ import annotations

import pytest

import cxreports
from cxreports import (Canceled, ClientClosed, ConnectionFailed, CxReportClientV1, CxReportsError,
                       ExportFailed, FileWriteError, HTTPError, InvalidConfig, InvalidInput,
                       InvalidResponse, NotFound, Timeout, Unauthenticated)

ALL = [Canceled, ClientClosed, ConnectionFailed, CxReportsError, ExportFailed, FileWriteError,
       HTTPError, InvalidConfig, InvalidInput, InvalidResponse, NotFound, Timeout, Unauthenticated,
       cxreports.ForkedProcessError, cxreports.LibraryError]


def test_every_error_is_a_runtime_error():
    for cls in ALL:
        assert issubclass(cls, RuntimeError) and issubclass(cls, CxReportsError)
    assert issubclass(NotFound, HTTPError)


@pytest.mark.parametrize("status", [401, 403])
def test_unauthenticated_exact_message(fresh, status):
    fresh.inject("GET", "/api/v1/workspaces", {"status": status})
    with CxReportClientV1(fresh.url, 1, fresh.token) as c, pytest.raises(Unauthenticated) as err:
        c.get_workspaces()
    assert str(err.value) == "Unauthenticated."
    assert err.value.status == status and err.value.code == "unauthenticated"
    assert err.value.request_id and err.value.detail


def test_wrong_token_never_leaks(fresh):
    secret = "not-the-token-s3cr3t"
    with CxReportClientV1(fresh.url, 1, secret) as c, pytest.raises(Unauthenticated) as err:
        c.get_themes()
    text = " ".join(str(v) for v in vars(err.value).values()) + str(err.value)
    assert secret not in text
    assert "Unauthenticated" in (err.value.server_message or "")


def test_html_login_page_is_unauthenticated(client, fresh):
    fresh.inject("GET", "/api/v1/ws/1/themes", {"html_login": True})
    with pytest.raises(Unauthenticated):
        client.get_themes()


def test_not_found(client):
    with pytest.raises(NotFound) as err:
        client.get_pdf(999999)
    e = err.value
    assert str(e).startswith("HTTP error occurred: 404 Client Error: Not Found for url: ")
    assert e.status == 404 and e.code == "not_found" and e.server_message and e.request_id
    assert "/reports/999999/pdf" in (e.url or "") and e.method == "GET"


def test_other_http_error_keeps_server_message(client, fresh):
    fresh.inject("POST", "/api/v1/ws/1/reports/160/pdf",
                 {"status": 400, "body": '{"error": "parameter title is too long"}'})
    with pytest.raises(HTTPError) as err:
        client.post_pdf(160)
    e = err.value
    assert not isinstance(e, NotFound)
    assert str(e).startswith("HTTP error occurred: 400 Client Error: Bad Request for url: ")
    assert e.server_message == "parameter title is too long"
    assert "parameter title is too long" in str(e)


def test_server_error_after_retries(client, fresh):
    fresh.inject("GET", "/api/v1/workspaces", *[{"status": 503}] * 10)
    with pytest.raises(HTTPError) as err:
        client.get_workspaces()
    assert err.value.status == 503 and err.value.retryable
    assert str(err.value).startswith("HTTP error occurred: 503 Server Error")


def test_retry_then_success(client, fresh):
    fresh.inject("GET", "/api/v1/workspaces", {"status": 503}, {"status": 502})
    assert client.get_workspaces()
    assert fresh.stats()["requests"] == 3


@pytest.mark.parametrize("never", [0, -1])
def test_no_retries_when_disabled(fresh, never):
    fresh.inject("GET", "/api/v1/workspaces", {"status": 503})
    with CxReportClientV1(fresh.url, 1, fresh.token, max_retries=never) as c, pytest.raises(HTTPError):
        c.get_workspaces()
    assert fresh.stats()["requests"] == 1


def test_timeout(client, fresh):
    with pytest.raises(Timeout) as err:
        client.get_pdf(160, {"params": {"fakeDelayMs": 5000}}, timeout=0.3)
    assert str(err.value).startswith("Timeout occurred")
    assert err.value.code == "timeout"


def test_connection_error():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with CxReportClientV1(f"http://127.0.0.1:{port}", 1, "a-long-token", max_retries=-1) as c:
        with pytest.raises(ConnectionFailed) as err:
            c.get_workspaces()
    assert str(err.value).startswith("Connection error occurred")


def test_dropped_body_is_a_connection_error(client, fresh):
    fresh.inject("GET", "/api/v1/ws/1/reports/160/pdf", *[{"drop_mid_body": True}] * 5)
    with pytest.raises((ConnectionFailed, InvalidResponse)):
        client.get_pdf(160)


def test_malformed_json(client, fresh):
    fresh.inject("GET", "/api/v1/ws/1/themes", {"malformed_json": True})
    with pytest.raises(InvalidResponse) as err:
        client.get_themes()
    assert err.value.code == "invalid_response"


def test_wrong_content_type_for_pdf(client, fresh):
    fresh.inject("GET", "/api/v1/ws/1/reports/160/pdf", {"content_type": "application/json"})
    with pytest.raises(InvalidResponse) as err:
        client.get_pdf(160)
    assert str(err.value).startswith("Invalid content type, expected PDF")


def test_export_failed(client):
    start = client.start_report_export(160, {"params": {"fakeFail": "disk on fire"}})
    with pytest.raises(ExportFailed) as err:
        client.wait_for_export(start["temporaryFileId"], poll_interval=0.05)
    assert err.value.server_message == "disk on fire" and "disk on fire" in str(err.value)


def test_invalid_input_unencodable(client):
    with pytest.raises(InvalidInput, match="JSON"):
        client.post_pdf(160, {"data": {"when": object()}})
    with pytest.raises(InvalidInput):
        client.post_pdf(160, {"data": {"x": float("nan")}})


def test_invalid_input_from_the_library(client):
    with pytest.raises(InvalidInput):
        client.get_report_pages(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        client.get_pdf(160, {"params": "not a dict but a string with \udcff"})


def test_invalid_config():
    with pytest.raises(InvalidConfig):
        CxReportClientV1("ftp://example.invalid", 1, "t")
    with pytest.raises(InvalidConfig):
        CxReportClientV1("http://127.0.0.1:1", 1, "")
    with pytest.raises(InvalidConfig):
        CxReportClientV1("http://127.0.0.1:1", 1, "t", ca_bundle="/nonexistent/ca.pem")
    with pytest.raises(TypeError):
        CxReportClientV1("http://127.0.0.1:1", 1, "t", no_such_option=1)  # type: ignore[call-arg]


def test_file_write_error(client, tmp_path):
    with pytest.raises(FileWriteError) as err:
        client.save_pdf(160, tmp_path / "no" / "such" / "dir" / "x.pdf")
    assert err.value.code == "io_error"


def test_closed_client(fresh):
    c = CxReportClientV1(fresh.url, 1, fresh.token)
    c.close()
    c.close()
    with pytest.raises(ClientClosed, match="closed"):
        c.get_workspaces()


def test_close_cancels_calls_in_flight(fresh):
    import threading

    c = CxReportClientV1(fresh.url, 1, fresh.token)
    errors = []

    def slow():
        try:
            c.get_pdf(160, {"params": {"fakeDelayMs": 20000}})
        except CxReportsError as exc:
            errors.append(exc)

    t = threading.Thread(target=slow)
    t.start()
    wait_until(lambda: fresh.stats()["in_flight"] == 1)
    c.close()
    t.join(15)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], Canceled)


def wait_until(cond, limit: float = 15.0) -> None:
    import time

    deadline = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_library_refusal_is_a_library_error(client):
    with pytest.raises(cxreports.LibraryError) as err:
        client._invoke("no_such_method", {})
    assert err.value.code == "unknown_method" and "no_such_method" in str(err.value)
