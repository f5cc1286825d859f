"""Logging through the "cxreports" logger, options, context manager."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

import pytest

import cxreports
from cxreports import CxReportClientV1

from conftest import field, require_tool, subprocess_env
from recording_server import Recorder


def test_logging_reaches_the_cxreports_logger(fresh, caplog):
    fresh.inject("GET", "/api/v1/workspaces", {"status": 503})
    with caplog.at_level(logging.DEBUG, logger="cxreports"):
        with CxReportClientV1(fresh.url, 1, fresh.token, retry_wait_min=0.01, retry_wait_max=0.02) as c:
            c.get_workspaces()
    records = [r for r in caplog.records if r.name == "cxreports"]
    assert records, "no log record from the library"
    assert all(fresh.token not in r.getMessage() for r in records)
    assert any("503" in r.getMessage() for r in records)


def test_quiet_by_default(fresh, caplog):
    """A call that goes well says nothing at the level logging shows by default
    (WARNING), though it does talk at DEBUG. Captured at DEBUG, so that what the library
    says is seen and then judged by its level: capturing at WARNING would drop the
    records this looks for before the assertion could see them."""
    with CxReportClientV1(fresh.url, 1, fresh.token) as c:
        with caplog.at_level(logging.DEBUG, logger="cxreports"):
            c.get_workspaces()
    records = [r for r in caplog.records if r.name == "cxreports"]
    assert records, "the call logged nothing even at DEBUG, so nothing here was checked"
    loud = [f"{r.levelname} {r.getMessage()}" for r in records if r.levelno >= logging.WARNING]
    assert not loud, loud


SILENT = textwrap.dedent("""
    import logging, sys
    if sys.argv[3] == "configured":
        logging.basicConfig()  # what an application does to see warnings
    from cxreports import CxReportClientV1
    with CxReportClientV1(sys.argv[1], 1, sys.argv[2], retry_wait_min=0.01, retry_wait_max=0.02) as c:
        c.get_workspaces()
""")


@pytest.mark.parametrize("logging_setup", ["none", "configured"])
def test_silent_unless_configured(fresh, logging_setup):
    """The README: logging is "silent unless you configure it". A first attempt that is
    cut makes the library log a WARNING; with no logging set up, Python would print
    that on stderr (logging.lastResort) unless the "cxreports" logger has a handler of
    its own. Run in a child, whose logging nobody has touched (pytest's is configured).
    The configured run shows that the same call does log."""
    fresh.inject("GET", "/api/v1/workspaces", {"hangup": True})
    out = subprocess.run([sys.executable, "-c", SILENT, fresh.url, fresh.token, logging_setup],
                         env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert len(fresh.api_requests()) == 2  # the cut attempt and the retry
    if logging_setup == "none":
        assert out.stderr == "" and out.stdout == ""
    else:
        assert "WARNING:cxreports:retryablehttp: request failed" in out.stderr, out.stderr
        assert fresh.token not in out.stderr


def test_user_agent_suffix_and_timezone(fresh):
    with CxReportClientV1(fresh.url, 1, fresh.token, user_agent_suffix="myapp/2.0",
                          default_timezone="Europe/Belgrade") as c:
        c.post_pdf(160)
    (req,) = fresh.api_requests()
    agent = field(req, "header")["User-Agent"][0]
    assert agent.startswith("cxreports-go/") and f"cxreports-python/{cxreports.__version__}" in agent
    assert agent.endswith("myapp/2.0")
    assert '"timezone":"Europe/Belgrade"' in field(req, "body").replace(" ", "")


def test_ca_bundle_pem_text_is_parsed(fresh):
    pem = "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n"
    with pytest.raises(cxreports.InvalidConfig):
        CxReportClientV1(fresh.url, 1, fresh.token, ca_bundle=pem)


@pytest.fixture(scope="module")
def private_ca_server(tmp_path_factory):
    openssl = require_tool("openssl", "openssl")  # makes a self-signed certificate
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    server = Recorder(tls=(str(cert), str(key)))
    yield server, cert
    server.close()


def test_private_ca_by_path_and_by_pem(private_ca_server):
    server, cert = private_ca_server
    with CxReportClientV1(server.url, 1, "a-token", max_retries=-1) as c:
        with pytest.raises(cxreports.ConnectionFailed, match="certificate"):
            c.get_workspaces()  # TLS verification is on
    for bundle in (str(cert), cert, cert.read_text(), cert.read_bytes()):
        with CxReportClientV1(server.url, 1, "a-token", ca_bundle=bundle) as c:
            assert c.get_workspaces() == []


def test_constructor_timeout_bounds_each_attempt(fresh):
    with CxReportClientV1(fresh.url, 1, fresh.token, timeout=0.3, max_retries=-1) as c:
        with pytest.raises(cxreports.Timeout):
            c.get_pdf(160, {"params": {"fakeDelayMs": 5000}})


def test_attributes_and_repr_never_show_the_token(fresh):
    c = CxReportClientV1(f" {fresh.url}/ ", 26, fresh.token)
    assert c.url == fresh.url and c.workspace_id == 26
    assert fresh.token not in repr(c) and fresh.token not in str(vars(c))
    c.close()
    assert c.closed


def test_library_version():
    info = cxreports.library_version()
    assert info["abi"] == 1 and info["version"]
