"""What error messages show: never a password or the token, the binding's own names
(base_url, token, ca_bundle, workspace_id) instead of Go's, ordinary words intact
whatever the token, and URLs without a stray '?'."""

from __future__ import annotations

import logging
import socket

import pytest

from cxreports import (ConnectionFailed, CxReportClientV1, HTTPError, InvalidConfig, InvalidInput,
                       NotFound, Unauthenticated)

TOKEN = "cxr-4f1b2c9d8e7a6b5c3d2e1f00"
GO_NAMES = ("BaseURL", "Config.", "CABundle", "InWorkspace", "WaitOptions", "core.")


def everything(err) -> str:
    """Every text a caller can see on an error."""
    return " | ".join(str(v) for v in (str(err), repr(err), err.args, err.detail, err.server_message,
                                         err.url, err.request_id))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("base_url", [
    "ftp://u:pw5ecret@host", "http://u:pw5ecret@[::1", "https://u:pw5ecret@h%zz/",
    "https://u:pw5ecret@tenant.example", "https://u:pw5/ecret@host", "u:pw5ecret@host",
])
def test_a_password_in_base_url_is_never_shown(base_url):
    with pytest.raises(InvalidConfig) as err:
        CxReportClientV1(base_url, 1, TOKEN)
    text = everything(err.value)
    assert "pw5" not in text and "ecret" not in text
    assert "base_url" in str(err.value) and "user info" in str(err.value)


@pytest.mark.parametrize("base_url,token,says", [
    (TOKEN, TOKEN, "holds the token"),
    (TOKEN, "https://tenant.example", "look swapped"),
])
def test_a_token_passed_as_base_url_is_never_shown(base_url, token, says):
    with pytest.raises(InvalidConfig) as err:
        CxReportClientV1(base_url, 1, token)
    assert TOKEN not in everything(err.value)
    assert says in str(err.value)


@pytest.mark.parametrize("token", ["e", "x", "error", "proxy", "Connection", "occurred"])
def test_a_short_token_never_mangles_a_message(token, caplog):
    caplog.set_level(logging.DEBUG, logger="cxreports")
    with CxReportClientV1(f"http://127.0.0.1:{closed_port()}", 1, token, max_retries=-1) as c:
        with pytest.raises(ConnectionFailed) as err:
            c.get_workspaces()
    msg = str(err.value)
    assert msg.startswith("Connection error occurred: GET http://127.0.0.1:")
    assert "REDACTED" not in msg
    assert "Check the base URL (base_url), the network and proxy settings" in msg
    # The log lines too (the C ABI's log sink has the same rule).
    assert caplog.records and not any("REDACTED" in r.getMessage() for r in caplog.records)


def test_the_token_echoed_by_the_server_is_redacted(fresh):
    fresh.inject("GET", "/api/v1/workspaces",
                 {"status": 400, "body": '{"error": "token %s is not valid"}' % fresh.token})
    with CxReportClientV1(fresh.url, 1, fresh.token) as c, pytest.raises(HTTPError) as err:
        c.get_workspaces()
    assert err.value.server_message == "token [REDACTED] is not valid"
    assert err.value.status == 400
    assert fresh.token not in everything(err.value)


def test_messages_use_the_bindings_names(fresh, tmp_path):
    with CxReportClientV1(f"http://127.0.0.1:{closed_port()}", 1, TOKEN, max_retries=-1) as c:
        with pytest.raises(ConnectionFailed) as err:
            c.get_pdf(160)
    assert "base_url" in str(err.value)
    with CxReportClientV1(fresh.url, 1, "wrong-token") as c, pytest.raises(Unauthenticated) as err:
        c.get_themes()
    assert "Check that the token (token) is a valid personal access token" in err.value.detail
    with CxReportClientV1(fresh.url, None, fresh.token) as c, pytest.raises(InvalidInput) as err:
        c.get_themes()
    assert str(err.value) == "Invalid input: no workspace: set default_workspace_id or pass workspace_id"
    with pytest.raises(InvalidConfig) as cfg:
        CxReportClientV1(fresh.url, 1, fresh.token, ca_bundle=str(tmp_path / "nope.pem"))
    assert "cannot read ca_bundle:" in str(cfg.value)
    with pytest.raises(InvalidConfig) as cfg:
        CxReportClientV1("", 1, fresh.token)
    assert str(cfg.value).startswith("Invalid config: base_url is empty")
    for e in (err.value, cfg.value):
        for go in GO_NAMES:
            assert go not in everything(e)


def test_no_stray_question_mark(client):
    with pytest.raises(NotFound) as err:
        client.get_pdf(999999)
    assert "/reports/999999/pdf." in str(err.value)
    assert "pdf?" not in str(err.value)
    assert err.value.url.endswith("/reports/999999/pdf")
