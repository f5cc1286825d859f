"""Exceptions raised by the client.

All of them subclass RuntimeError, because the official client raises bare RuntimeError
and code written for it says ``except RuntimeError``. str() starts like the official
client's message for the same case; the attributes keep what the server said.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type


class CxReportsError(RuntimeError):
    """Base class: a CxReports call failed.

    Attributes:
        code: stable error code from the library ("not_found", "timeout", ...).
        status: HTTP status, or None when no response was received.
        server_message: the server's own error text, or None.
        request_id: the server's request id header, or None.
        method, url: the HTTP request that failed (the URL never holds the token).
        retryable: whether the library considered the failure transient.
        detail: the library's full message (what went wrong and what to do).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "error",
        status: Optional[int] = None,
        server_message: Optional[str] = None,
        request_id: Optional[str] = None,
        method: Optional[str] = None,
        url: Optional[str] = None,
        retryable: bool = False,
        detail: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.server_message = server_message
        self.request_id = request_id
        self.method = method
        self.url = url
        self.retryable = retryable
        self.detail = detail if detail is not None else message


class Unauthenticated(CxReportsError):
    """401/403, or an HTML login page where JSON or a file was expected.

    str() is exactly "Unauthenticated." like the official client, so code comparing the
    text keeps working; the full explanation is in ``detail``.
    """


class HTTPError(CxReportsError):
    """The server answered with a non-2xx status ("HTTP error occurred: ...")."""


class NotFound(HTTPError):
    """404: unknown report, workspace, export, job or run."""


class Timeout(CxReportsError):
    """A per-attempt timeout, a wait deadline or a per-call ``timeout=`` expired."""


class ConnectionFailed(CxReportsError):
    """Could not connect, or the connection broke mid-response."""


class Canceled(CxReportsError):
    """The call was cancelled (the client was closed while it ran)."""


class InvalidInput(CxReportsError):
    """A value given to the client cannot be sent (bad id, unencodable params, bad path)."""


class InvalidResponse(CxReportsError):
    """The server's answer could not be used (bad JSON, wrong content type, short body)."""


class InvalidConfig(CxReportsError):
    """The client options were rejected at construction."""


class ExportFailed(CxReportsError):
    """An export or job run ended as Failed; ``server_message`` is its errorMessage."""


class FileWriteError(CxReportsError):
    """The local file could not be written."""


class ClientClosed(CxReportsError):
    """The client was used after close()."""


class ForkedProcessError(CxReportsError):
    """The client was used in a child created by fork() after the library was loaded."""


class LibraryError(CxReportsError):
    """The native library refused the call (a bug in this binding or a library mismatch)."""


_BY_CODE: Dict[str, Type[CxReportsError]] = {
    "unauthenticated": Unauthenticated,
    "not_found": NotFound,
    "http_error": HTTPError,
    "timeout": Timeout,
    "canceled": Canceled,
    "connection": ConnectionFailed,
    "invalid_input": InvalidInput,
    "invalid_argument": InvalidInput,
    "invalid_response": InvalidResponse,
    "invalid_config": InvalidConfig,
    "export_failed": ExportFailed,
    "io_error": FileWriteError,
    "invalid_handle": ClientClosed,
}


def from_envelope(err: Dict[str, Any]) -> CxReportsError:
    """Build the exception for the "error" object of a failed envelope."""
    code = str(err.get("code") or "internal")
    cls = _BY_CODE.get(code, LibraryError)
    detail = str(err.get("message") or code)
    message = "Unauthenticated." if cls is Unauthenticated else detail
    status = err.get("status") or None
    return cls(
        message,
        code=code,
        status=int(status) if status else None,
        server_message=err.get("server_message") or None,
        request_id=err.get("request_id") or None,
        method=err.get("method") or None,
        url=err.get("url") or None,
        retryable=bool(err.get("retryable")),
        detail=detail,
    )
