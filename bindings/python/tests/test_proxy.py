"""Proxies from the environment: with HTTP_PROXY set, every plain-HTTP call (JSON, a
download, a POST) goes through the proxy; with HTTPS_PROXY set, every https call goes
through a CONNECT tunnel of that proxy; NO_PROXY exempts a host from either. The base URL
never names 127.0.0.1 or localhost, because Go never proxies those: plain HTTP uses a
host only the proxy knows (cxfake.test); https through the proxy uses "localhost." (the
same name, fully qualified), which Go does proxy and which the fake's certificate, made
for localhost, still verifies. Either way the proxy connects to the fake on 127.0.0.1.
The NO_PROXY tests exempt cxfake.test, which nobody resolves: a call that bypasses the
proxy fails to connect, and the proxy sees nothing. ("localhost." is no good there: it
resolves on some machines and not on others.)

These tests set the proxy variables of their children themselves, whatever the suite's
own environment holds (conftest adds 127.0.0.1 and localhost to no_proxy for the rest).
"""

from __future__ import annotations

import http.client
import select
import socket
import subprocess
import sys
import textwrap
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import field, start_fake, stop_fake, subprocess_env


class Proxy:
    """A forward proxy that sends every request (plain HTTP, relayed) and every CONNECT
    tunnel (https) to 127.0.0.1 on the port the request names, and records what it
    relayed."""

    def __init__(self) -> None:
        self.seen: list = []  # (method, host, path), or ("CONNECT", host, port) for a tunnel
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self) -> None:
                target = urllib.parse.urlsplit(self.path)  # absolute-form: http://host:port/path?q
                proxy.seen.append((self.command, target.hostname, target.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                upstream = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
                path = target.path + ("?" + target.query if target.query else "")
                upstream.request(self.command, path, body=body, headers=headers)
                res = upstream.getresponse()
                payload = res.read()
                self.send_response(res.status)
                for k, v in res.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                upstream.close()

            do_GET = do_POST = _relay

            def do_CONNECT(self) -> None:
                """The tunnel an https request asks for: the TLS inside is the client's and
                the fake's, end to end; the proxy only copies bytes."""
                host, _, port = self.path.rpartition(":")  # authority-form: host:port
                proxy.seen.append(("CONNECT", host, port))
                upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
                self.send_response(200, "Connection established")
                self.end_headers()
                self.close_connection = True
                ends = [self.connection, upstream]
                try:
                    while True:
                        readable, _, _ = select.select(ends, [], [], 60)
                        if not readable:
                            return
                        for end in readable:
                            data = end.recv(65536)
                            if not data:
                                return
                            (upstream if end is self.connection else self.connection).sendall(data)
                except OSError:
                    return
                finally:
                    upstream.close()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


CHILD = textwrap.dedent("""
    import sys
    from cxreports import CxReportClientV1, ConnectionFailed
    ca = {"ca_bundle": sys.argv[3]} if len(sys.argv) > 3 else {}
    with CxReportClientV1(sys.argv[1], 1, sys.argv[2], max_retries=-1, **ca) as c:
        try:
            assert c.get_workspaces()
            assert c.get_pdf(160).startswith(b"%PDF-")
            assert c.post_pdf(160, {}).startswith(b"%PDF-")
            print("ok")
        except ConnectionFailed as exc:
            print("connection", exc.code)
""")


@pytest.fixture
def proxy():
    p = Proxy()
    yield p
    p.close()


# Nothing listens there: a call sent to this proxy fails to connect.
DEAD_PROXY = "http://127.0.0.1:9"


def proxy_env(http_proxy: str, https_proxy: str, no_proxy: str) -> dict:
    """The child's proxy variables, both spellings of each, and nothing inherited."""
    env = subprocess_env()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"):
        env.pop(name, None)
        env.pop(name.lower(), None)
    for name, value in (("HTTP_PROXY", http_proxy), ("HTTPS_PROXY", https_proxy), ("NO_PROXY", no_proxy)):
        env[name] = env[name.lower()] = value
    return env


def run_child(fake, proxy, no_proxy: str) -> str:
    port = urllib.parse.urlsplit(fake.url).port
    # HTTPS_PROXY names a dead proxy: a plain-HTTP call must not use it.
    env = proxy_env(proxy.url, DEAD_PROXY, no_proxy)
    out = subprocess.run([sys.executable, "-c", CHILD, f"http://cxfake.test:{port}", fake.token],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.fixture(scope="module")
def tls_fake(tmp_path_factory):
    """A fake serving https with a CA of its own, written where the child can read it."""
    server = start_fake("-tls")
    ca = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.write_text(server.info["ca"])
    try:
        yield server, ca
    finally:
        stop_fake(server)


def run_tls_child(tls_fake, proxy, host: str, no_proxy: str) -> str:
    fake, ca = tls_fake
    fake.reset()
    port = urllib.parse.urlsplit(fake.url).port
    # HTTP_PROXY names a dead proxy: an https call must not use it.
    env = proxy_env(DEAD_PROXY, proxy.url, no_proxy)
    out = subprocess.run([sys.executable, "-c", CHILD, f"https://{host}:{port}", fake.token, str(ca)],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_calls_go_through_the_proxy_from_the_environment(fresh, proxy):
    assert run_child(fresh, proxy, "") == "ok"
    assert [s[:2] for s in proxy.seen] == [("GET", "cxfake.test"), ("GET", "cxfake.test"), ("POST", "cxfake.test")]
    assert [s[2] for s in proxy.seen] == ["/api/v1/workspaces", "/api/v1/ws/1/reports/160/pdf",
                                          "/api/v1/ws/1/reports/160/pdf"]


def test_no_proxy_exempts_a_host(fresh, proxy):
    # Without the proxy nobody resolves cxfake.test: the call fails to connect.
    assert run_child(fresh, proxy, "cxfake.test") == "connection connection"
    assert proxy.seen == []


def test_https_calls_go_through_a_tunnel_of_https_proxy(tls_fake, proxy):
    fake, _ = tls_fake
    port = urllib.parse.urlsplit(fake.url).port
    # NO_PROXY names another host only: this one still goes through the proxy.
    assert run_tls_child(tls_fake, proxy, "localhost.", "cxfake.test") == "ok"
    # One tunnel per connection the client opened (it reuses them), each to the fake.
    assert proxy.seen and set(proxy.seen) == {("CONNECT", "localhost.", str(port))}, proxy.seen
    assert [(field(r, "method"), field(r, "path")) for r in fake.api_requests()] == [
        ("GET", "/api/v1/workspaces"), ("GET", "/api/v1/ws/1/reports/160/pdf"), ("POST", "/api/v1/ws/1/reports/160/pdf")]


def test_no_proxy_exempts_an_https_host(tls_fake, proxy):
    # Exempt, the client looks cxfake.test up itself, which nobody resolves: it fails to
    # connect, and the proxy sees nothing. (Through the proxy it would have reached the
    # fake, and failed there on the certificate, made for localhost.)
    assert run_tls_child(tls_fake, proxy, "cxfake.test", "cxfake.test") == "connection connection"
    assert proxy.seen == []
    assert tls_fake[0].api_requests() == []
