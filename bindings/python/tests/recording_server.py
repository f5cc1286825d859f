"""A loopback HTTP server that records every request and answers like CxReports would,
for comparing what two clients put on the wire."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def answer(method: str, path: str) -> Tuple[int, str, bytes]:
    """(status, content type, body) for a request, by path."""
    def js(value: Any, status: int = 200) -> Tuple[int, str, bytes]:
        return status, "application/json; charset=utf-8", json.dumps(value).encode()

    if path.endswith("/pdf") or path.endswith("/content"):
        return 200, "application/pdf", PDF
    if path.endswith("/export"):
        return js({"temporaryFileId": 7}, 202)
    if path.endswith("/status") and "/exports/" in path:
        return js({"id": 7, "status": "Completed", "isReady": True, "errorMessage": None})
    if path.endswith("/status"):
        return js({"finished": True, "entries": 1, "status": {"queued": 0, "review": 0, "completed": 1, "errors": 0}})
    if path.endswith("/temporary-data"):
        return js({"tempDataId": 5, "expiryDate": "2030-01-01T00:00:00Z"})
    if path.endswith("/nonce-tokens"):
        return js({"nonce": "n0nce"})
    if path.endswith("/runs") and method == "POST":
        return js({"jobRunId": 9})
    if path.endswith("/generate-review-document"):
        return js({"temporaryFileId": 8})
    if path.endswith("/deliver"):
        return 204, "", b""
    return js([])


class Recorder:
    """Starts on 127.0.0.1:0; ``records`` holds (method, raw path+query, headers, body)."""

    def __init__(self, tls: "Optional[Tuple[str, str]]" = None) -> None:
        """tls: (certificate file, key file) to serve https instead of http."""
        self.records: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with recorder._lock:
                    recorder.records.append({"method": self.command, "target": self.path,
                                             "headers": dict(self.headers), "body": body})
                status, ctype, payload = answer(self.command, self.path.split("?")[0])
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def take(self) -> List[Dict[str, Any]]:
        with self._lock:
            out, self.records = self.records, []
        return out

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
