"""Proxies from the environment: with HTTP_PROXY set, every call (JSON, a download, a
POST) goes through the proxy, and NO_PROXY exempts a host. The base URL names a host
that only the proxy knows (cxfake.test), because Go never proxies loopback addresses;
the proxy forwards to the fake on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import textwrap
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import subprocess_env


class Proxy:
    """A forward proxy for plain HTTP that sends every request to 127.0.0.1 on the
    port the request names, and records what it relayed."""

    def __init__(self) -> None:
        self.seen: list = []
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
    with CxReportClientV1(sys.argv[1], 1, sys.argv[2], max_retries=-1) as c:
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


def run_child(fake, proxy, no_proxy: str) -> str:
    port = urllib.parse.urlsplit(fake.url).port
    env = subprocess_env(HTTP_PROXY=proxy.url, http_proxy=proxy.url, NO_PROXY=no_proxy, no_proxy=no_proxy)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", CHILD, f"http://cxfake.test:{port}", fake.token],
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
