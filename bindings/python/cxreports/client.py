"""CxReportClientV1: the drop-in, synchronous client."""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import _runtime
from ._handle import NativeClient
from ._methods import ClientMethods, JSONObject, _args
from ._stream import ReportStream, open_stream
from .types import BatchProgress, Progress, ProgressCallback, Ref


def progress_adapter(progress: Optional[ProgressCallback]):
    if progress is None:
        return None
    return lambda event: progress(Progress.from_event(event))


class CxReportClientV1(NativeClient, ClientMethods):
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

    # --- streams: the downloads as file-like objects --------------------------------

    def open_pdf(self, report_id: Ref, params: Optional[JSONObject] = None,
                 workspace_id: Optional[Ref] = None, theme: Optional[str] = None,
                 template: Optional[str] = None, *, timeout: Optional[float] = None) -> ReportStream:
        """get_pdf as a readable binary file-like object (a ReportStream): the PDF is
        downloaded as you read it, so memory stays flat for any size. Use it in a
        ``with`` block, or close() it: closing early cancels the download. Works with
        shutil.copyfileobj and boto3's upload_fileobj. ``timeout`` (seconds) bounds the
        stream's whole life, from open to close."""
        return self._open("get_pdf", _args(report_id=report_id, params=params, workspace_id=workspace_id,
                                           theme=theme, template=template, timeout=timeout))

    def open_post_pdf(self, report_id: Ref, request_body: Optional[JSONObject] = None,
                      workspace_id: Optional[Ref] = None, *,
                      timeout: Optional[float] = None) -> ReportStream:
        """post_pdf as a ReportStream (see open_pdf). The POST is sent once."""
        return self._open("post_pdf", _args(report_id=report_id, request_body=request_body,
                                            workspace_id=workspace_id, timeout=timeout))

    def open_export_content(self, temp_file_id: Ref, workspace_id: Optional[Ref] = None, *,
                            timeout: Optional[float] = None) -> ReportStream:
        """get_export_content as a ReportStream (see open_pdf): the file of a finished
        export, such as a job run's review document."""
        return self._open("get_export_content", _args(temp_file_id=temp_file_id, workspace_id=workspace_id,
                                                      timeout=timeout))

    def _open(self, method: str, args: Dict[str, Any]) -> ReportStream:
        return open_stream(self._live_handle(), method, self._encode(method, args))

    def __enter__(self) -> "CxReportClientV1":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
