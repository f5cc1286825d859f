"""CxReportClientV1: the drop-in, synchronous client."""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import _runtime
from ._handle import NativeClient
from ._methods import ClientMethods, StreamMethods
from ._stream import ReportStream, open_stream
from .types import BatchProgress, Progress, ProgressCallback


def progress_adapter(progress: Optional[ProgressCallback]):
    if progress is None:
        return None
    return lambda event: progress(Progress.from_event(event))


class CxReportClientV1(NativeClient, ClientMethods, StreamMethods):
    """Client for the CxReports v1 API, with the surface of the official client 0.0.5.

    ``CxReportClientV1(base_url, default_workspace_id, token)`` works as in the official
    client. Keyword options: ``timeout`` (seconds per HTTP attempt), ``max_retries``,
    ``retry_wait_min`` / ``retry_wait_max`` / ``max_retry_after`` (seconds), ``ca_bundle``
    (path or PEM text), ``user_agent_suffix``, ``default_timezone``. Every method also takes
    ``timeout=`` (seconds for the whole call). Use it as a context manager or call close().

    Calls block the calling thread only: many threads can share one client and run in
    parallel. Ctrl-C interrupts a call and cancels it.
    """

    def _invoke(self, method: str, args: Dict[str, Any], kind: str = "json",
                progress: Optional[ProgressCallback] = None) -> Any:
        payload = self._encode(method, args)
        if kind == "stream":
            counts = None if progress is None else (lambda event: progress(BatchProgress.from_event(event)))
            return _runtime.call_stream(self._live_handle(), method, payload, counts)
        data, blob = _runtime.call_sync(self._live_handle(), method, payload,
                                        progress_adapter(progress))
        if kind == "bytes":
            return blob if blob is not None else b""
        if kind == "none":
            return None
        return data

    def _open(self, method: str, args: Dict[str, Any]) -> ReportStream:
        return open_stream(self._live_handle(), method, self._encode(method, args))

    def __enter__(self) -> "CxReportClientV1":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
