"""The API surface shared by the sync and the async client.

Each method only turns its Python arguments into the C ABI's argument object (names from
docs/contract.md, "Methods") and hands it to ``self._invoke``; the sync client runs the
call and returns the result, the async client returns an awaitable. Positional order and
defaults are those of the official client 0.0.5; everything it lacks is keyword-only.
Arguments are sent as one JSON object, so the caller's dicts are read, never modified.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Dict, Iterable, Iterator, List, Optional

from .types import BatchProgressCallback, BatchResult, Concurrency, Download, PathLike, ProgressCallback, Ref

JSONObject = Dict[str, Any]


def _args(**values: Any) -> Dict[str, Any]:
    """The argument object: None means "not given", so it is left out."""
    return {k: v for k, v in values.items() if v is not None}


def _path(path: PathLike) -> str:
    return os.fsdecode(os.fspath(path))


def _items(items: Any) -> Any:
    """A list of the items; what is no iterable of items goes as it is, for the library
    to reject with a clear message."""
    if isinstance(items, (str, bytes, dict)):
        return items
    try:
        return list(items)
    except TypeError:
        return items


class ClientMethods:
    """Every CxReports call; see CxReportClientV1 for the sync flavour."""

    def _invoke(self, method: str, args: Dict[str, Any], kind: str = "json",
                progress: Optional[ProgressCallback] = None) -> Any:
        raise NotImplementedError  # provided by the concrete client

    # --- workspaces, report types, themes, templates -------------------------------

    def get_workspaces(self, *, timeout: Optional[float] = None) -> List[JSONObject]:
        """All workspaces the token can access."""
        return self._invoke("get_workspaces", _args(timeout=timeout))

    def get_report_types(self, workspace_id: Optional[Ref] = None, *,
                         timeout: Optional[float] = None) -> List[JSONObject]:
        """Report types of a workspace (the default one when workspace_id is None)."""
        return self._invoke("get_report_types", _args(workspace_id=workspace_id, timeout=timeout))

    def get_themes(self, workspace_id: Optional[Ref] = None, *,
                   timeout: Optional[float] = None) -> List[JSONObject]:
        """Themes of a workspace: [{id, code, name}]."""
        return self._invoke("get_themes", _args(workspace_id=workspace_id, timeout=timeout))

    def get_templates(self, workspace_id: Optional[Ref] = None, *,
                      timeout: Optional[float] = None) -> List[JSONObject]:
        """Report templates of a workspace: [{id, code, name}]."""
        return self._invoke("get_templates", _args(workspace_id=workspace_id, timeout=timeout))

    # --- reports ---------------------------------------------------------------------

    def get_reports(self, type: Optional[str] = None, workspace_id: Optional[Ref] = None, *,
                    offset: Optional[int] = None, limit: Optional[int] = None,
                    timeout: Optional[float] = None) -> List[JSONObject]:
        """Reports, optionally of one report type; offset/limit page through them."""
        return self._invoke("get_reports", _args(type=type, workspace_id=workspace_id,
                                                 offset=offset, limit=limit, timeout=timeout))

    def get_report_pages(self, report_id: Ref, workspace_id: Optional[Ref] = None, *,
                         timeout: Optional[float] = None) -> List[JSONObject]:
        """Pages of a report: [{id, name, type}]."""
        return self._invoke("get_report_pages", _args(report_id=report_id, workspace_id=workspace_id,
                                                      timeout=timeout))

    # --- PDFs ------------------------------------------------------------------------

    def get_pdf(self, report_id: Optional[Ref] = None, params: Optional[JSONObject] = None,
                workspace_id: Optional[Ref] = None, theme: Optional[str] = None,
                template: Optional[str] = None, *, reportId: Optional[Ref] = None,
                timeout: Optional[float] = None,
                progress: Optional[ProgressCallback] = None) -> bytes:
        """Render a report as PDF with GET; ``params`` is the query dict of the official client
        (tempDataId, params, timezone, lang, theme, template, ...). Returns the bytes.
        ``progress`` receives the download's Progress events ("downloading", then "done")."""
        return self._invoke("get_pdf", self._pdf_args("get_pdf", report_id, reportId, params,
                                                      workspace_id, theme, template, timeout), "bytes",
                            progress=progress)

    def save_pdf(self, report_id: Ref, path: PathLike, params: Optional[JSONObject] = None,
                 workspace_id: Optional[Ref] = None, theme: Optional[str] = None,
                 template: Optional[str] = None, *, timeout: Optional[float] = None,
                 progress: Optional[ProgressCallback] = None) -> Download:
        """Like get_pdf, but streams the PDF to ``path`` (via a temporary file and a rename)
        instead of holding it in memory. ``progress`` receives the download's Progress events;
        the "done" one comes once the file is in place."""
        return self._invoke("save_pdf", _args(report_id=report_id, path=_path(path), params=params,
                                              workspace_id=workspace_id, theme=theme,
                                              template=template, timeout=timeout), progress=progress)

    def get_pdf_url(self, report_id: Ref, params: Optional[JSONObject] = None,
                    workspace_id: Optional[Ref] = None, theme: Optional[str] = None,
                    template: Optional[str] = None, *, timeout: Optional[float] = None) -> str:
        """The GET URL get_pdf would fetch (no network; the token is not in it)."""
        return self._invoke("get_pdf_url", _args(report_id=report_id, params=params,
                                                 workspace_id=workspace_id, theme=theme,
                                                 template=template, timeout=timeout))

    def post_pdf(self, report_id: Ref, request_body: Optional[JSONObject] = None,
                 workspace_id: Optional[Ref] = None, *, timeout: Optional[float] = None,
                 progress: Optional[ProgressCallback] = None) -> bytes:
        """Render a report as PDF with POST (params/data in the body; format defaults to pdf).
        ``progress`` receives the download's Progress events."""
        return self._invoke("post_pdf", _args(report_id=report_id, request_body=request_body,
                                              workspace_id=workspace_id, timeout=timeout), "bytes",
                            progress=progress)

    def save_post_pdf(self, report_id: Ref, path: PathLike, request_body: Optional[JSONObject] = None,
                      workspace_id: Optional[Ref] = None, *,
                      timeout: Optional[float] = None,
                      progress: Optional[ProgressCallback] = None) -> Download:
        """Like post_pdf, but streams the PDF to ``path``."""
        return self._invoke("save_post_pdf", _args(report_id=report_id, path=_path(path),
                                                   request_body=request_body,
                                                   workspace_id=workspace_id, timeout=timeout),
                            progress=progress)

    # --- asynchronous exports --------------------------------------------------------

    def start_report_export(self, report_id: Ref, request_body: Optional[JSONObject] = None,
                            workspace_id: Optional[Ref] = None, *,
                            timeout: Optional[float] = None) -> JSONObject:
        """Start an export; returns {temporaryFileId}."""
        return self._invoke("start_report_export", _args(report_id=report_id, request_body=request_body,
                                                         workspace_id=workspace_id, timeout=timeout))

    def get_export_status(self, temp_file_id: Ref, workspace_id: Optional[Ref] = None, *,
                          timeout: Optional[float] = None) -> JSONObject:
        """Status of an export: {status, isReady, errorMessage, ...}."""
        return self._invoke("get_export_status", _args(temp_file_id=temp_file_id,
                                                       workspace_id=workspace_id, timeout=timeout))

    def get_export_content(self, temp_file_id: Ref, workspace_id: Optional[Ref] = None, *,
                           timeout: Optional[float] = None,
                           progress: Optional[ProgressCallback] = None) -> bytes:
        """The file of a finished export, as bytes."""
        return self._invoke("get_export_content", _args(temp_file_id=temp_file_id,
                                                        workspace_id=workspace_id, timeout=timeout), "bytes",
                            progress=progress)

    def save_export_content(self, temp_file_id: Ref, path: PathLike,
                            workspace_id: Optional[Ref] = None, *,
                            timeout: Optional[float] = None,
                            progress: Optional[ProgressCallback] = None) -> Download:
        """Stream the file of a finished export to ``path``."""
        return self._invoke("save_export_content", _args(temp_file_id=temp_file_id, path=_path(path),
                                                         workspace_id=workspace_id, timeout=timeout),
                            progress=progress)

    def wait_for_export(self, temp_file_id: Ref, workspace_id: Optional[Ref] = None, *,
                        timeout: Optional[float] = None, poll_interval: Optional[float] = None,
                        max_interval: Optional[float] = None,
                        progress: Optional[ProgressCallback] = None) -> JSONObject:
        """Poll (with backoff) until the export is ready and return its status.

        A Failed export raises ExportFailed carrying the server's errorMessage; ``timeout``
        (seconds) bounds the whole wait and raises Timeout.
        """
        return self._invoke("wait_for_export", _args(temp_file_id=temp_file_id, workspace_id=workspace_id,
                                                     timeout=timeout, poll_interval=poll_interval,
                                                     max_interval=max_interval), progress=progress)

    def export_to_file(self, report_id: Ref, path: PathLike, request_body: Optional[JSONObject] = None,
                       workspace_id: Optional[Ref] = None, *, timeout: Optional[float] = None,
                       poll_interval: Optional[float] = None, max_interval: Optional[float] = None,
                       progress: Optional[ProgressCallback] = None) -> Download:
        """Start an export, wait for it and stream the result to ``path``, in one call."""
        return self._invoke("export_to_file", _args(report_id=report_id, path=_path(path),
                                                    request_body=request_body, workspace_id=workspace_id,
                                                    timeout=timeout, poll_interval=poll_interval,
                                                    max_interval=max_interval), progress=progress)

    # --- temporary data, nonce tokens, preview URLs ----------------------------------

    def push_temporary_data(self, data: Any, workspace_id: Optional[Ref] = None, *,
                            expiry_date: Optional[str] = None,
                            timeout: Optional[float] = None) -> JSONObject:
        """Store ``data`` on the server; returns {tempDataId, expiryDate}. expiry_date is ISO 8601."""
        return self._invoke("push_temporary_data", _args(data=data, workspace_id=workspace_id,
                                                         expiry_date=expiry_date, timeout=timeout))

    def create_auth_token(self, *, timeout: Optional[float] = None) -> JSONObject:
        """A single-use nonce token: {nonce}."""
        return self._invoke("create_auth_token", _args(timeout=timeout))

    def get_preview_url(self, report_id: Ref, query_params: Optional[JSONObject] = None,
                        workspace_id: Optional[Ref] = None, *, data: Any = None,
                        timeout: Optional[float] = None) -> str:
        """An iframe preview URL with a fresh single-use nonce. With ``data``, the data is
        pushed as temporary data first and referenced through tempDataId."""
        return self._invoke("get_preview_url", _args(report_id=report_id, query_params=query_params,
                                                     workspace_id=workspace_id, data=data,
                                                     timeout=timeout))

    # --- jobs ------------------------------------------------------------------------

    def get_jobs(self, workspace_id: Optional[Ref] = None, *,
                 timeout: Optional[float] = None) -> List[JSONObject]:
        """Jobs of a workspace."""
        return self._invoke("get_jobs", _args(workspace_id=workspace_id, timeout=timeout))

    def start_job_run(self, job_id: Ref, request_body: Optional[JSONObject] = None,
                      workspace_id: Optional[Ref] = None, *,
                      timeout: Optional[float] = None) -> JSONObject:
        """Start a job run; returns {jobRunId}. Never re-sent automatically."""
        return self._invoke("start_job_run", _args(job_id=job_id, request_body=request_body,
                                                   workspace_id=workspace_id, timeout=timeout))

    def get_job_run_status(self, job_id: Ref, run_id: Ref, workspace_id: Optional[Ref] = None, *,
                           timeout: Optional[float] = None) -> JSONObject:
        """Status of a job run: {finished, entries, status: {...}}."""
        return self._invoke("get_job_run_status", _args(job_id=job_id, run_id=run_id,
                                                        workspace_id=workspace_id, timeout=timeout))

    def get_run_review_document(self, job_id: Ref, run_id: Ref, workspace_id: Optional[Ref] = None, *,
                                timeout: Optional[float] = None) -> JSONObject:
        """Generate the review document of a run; returns {temporaryFileId}."""
        return self._invoke("get_run_review_document", _args(job_id=job_id, run_id=run_id,
                                                             workspace_id=workspace_id, timeout=timeout))

    def deliver_job_run_entries(self, job_id: Ref, run_id: Ref, workspace_id: Optional[Ref] = None, *,
                                timeout: Optional[float] = None) -> None:
        """Deliver the entries of a run. Never re-sent automatically."""
        return self._invoke("deliver_job_run_entries", _args(job_id=job_id, run_id=run_id,
                                                             workspace_id=workspace_id, timeout=timeout),
                            "none")

    def wait_for_job_run(self, job_id: Ref, run_id: Ref, workspace_id: Optional[Ref] = None, *,
                         timeout: Optional[float] = None, poll_interval: Optional[float] = None,
                         max_interval: Optional[float] = None,
                         progress: Optional[ProgressCallback] = None) -> JSONObject:
        """Poll until the run has finished and return its status."""
        return self._invoke("wait_for_job_run", _args(job_id=job_id, run_id=run_id, workspace_id=workspace_id,
                                                      timeout=timeout, poll_interval=poll_interval,
                                                      max_interval=max_interval), progress=progress)

    # --- batch rendering ----------------------------------------------------------------

    def render_batch(self, items: Iterable[JSONObject], out_dir: Optional[PathLike] = None, *,
                     concurrency: Optional[Concurrency] = None, force: Optional[bool] = None,
                     retries: Optional[int] = None, timeout: Optional[float] = None,
                     progress: Optional[BatchProgressCallback] = None) -> Iterator[BatchResult]:
        """Render many reports and iterate over the results as they finish (the async
        client: ``async for``). Each item is a dict ``{"report": id or code, "output":
        path}`` plus any of params, data, format, theme, template, workspace; with
        ``out_dir`` outputs are relative to it and must stay under it. Files are written
        atomically; those that exist are skipped unless ``force``, so running a batch
        again resumes it, and the temporaries a killed earlier run left beside an output
        (``.<name>.<digits>.part``, held by no live process) are removed first: each
        result's ``removed_temps`` counts them. An item whose output is the same file as
        an earlier item's fails before anything is sent for it: its result's error is an
        InvalidInput naming both (``item N``, N the index in items).

        ``concurrency`` is ``"auto"`` (the default: starts at 2 renders in flight and
        adapts to the server's 429/503 answers) or a number N (exactly N); 0, negatives
        and other strings raise InvalidInput before any request. A refused render is
        sent again after the server's Retry-After (with a number, or after a 503, the
        whole batch pauses); ``retries`` is how many 429/503
        answers in a row, with no render accepted in between, the batch takes (default
        50, 0 = none). A bad item fails alone. The batch starts when iteration starts
        (so do argument errors); leaving the loop early, or Ctrl-C, cancels the renders
        in flight and leaves no partial file. ``progress`` receives BatchProgress counts
        after each item, with ``limit`` (renders allowed in flight now) and
        ``removed_temps``."""
        return self._invoke("render_batch", _args(items=_items(items), out_dir=None if out_dir is None else _path(out_dir),
                                                  concurrency=concurrency, force=force, retries=retries,
                                                  timeout=timeout), "stream", progress=progress)

    # --- helpers ---------------------------------------------------------------------

    @staticmethod
    def _pdf_args(name: str, report_id: Optional[Ref], report_id_old: Optional[Ref],
                  params: Optional[JSONObject], workspace_id: Optional[Ref], theme: Optional[str],
                  template: Optional[str], timeout: Optional[float]) -> Dict[str, Any]:
        if report_id_old is not None:
            warnings.warn("'reportId' is deprecated; use 'report_id' instead.",
                          DeprecationWarning, stacklevel=3)
            if report_id is None:
                report_id = report_id_old
        if report_id is None:
            raise TypeError(f"{name}() missing required argument: 'report_id'")
        return _args(report_id=report_id, params=params, workspace_id=workspace_id, theme=theme,
                     template=template, timeout=timeout)


class StreamMethods:
    """The downloads opened as streams, read at the caller's pace (cx_stream_open): the
    sync client returns a ReportStream (a binary file-like object), the async client an
    AsyncReportStream (awaitable reads, ``async for``). Binding-only: they map to the
    bytes methods of the table (get_pdf, post_pdf, get_export_content) and take their
    arguments but ``progress``; ``timeout`` (seconds) bounds the stream's whole life,
    from open to close."""

    def _open(self, method: str, args: Dict[str, Any]) -> Any:
        raise NotImplementedError  # provided by the concrete client

    def open_pdf(self, report_id: Ref, params: Optional[JSONObject] = None,
                 workspace_id: Optional[Ref] = None, theme: Optional[str] = None,
                 template: Optional[str] = None, *, timeout: Optional[float] = None) -> Any:
        """get_pdf as a stream: the PDF is downloaded as you read it, so memory stays
        flat for any size. Use it in a ``with`` block (``async with``), or close() it:
        closing early cancels the download. The sync stream works with
        shutil.copyfileobj and boto3's upload_fileobj."""
        return self._open("get_pdf", _args(report_id=report_id, params=params, workspace_id=workspace_id,
                                           theme=theme, template=template, timeout=timeout))

    def open_post_pdf(self, report_id: Ref, request_body: Optional[JSONObject] = None,
                      workspace_id: Optional[Ref] = None, *, timeout: Optional[float] = None) -> Any:
        """post_pdf as a stream (see open_pdf). The POST is sent once."""
        return self._open("post_pdf", _args(report_id=report_id, request_body=request_body,
                                            workspace_id=workspace_id, timeout=timeout))

    def open_export_content(self, temp_file_id: Ref, workspace_id: Optional[Ref] = None, *,
                            timeout: Optional[float] = None) -> Any:
        """get_export_content as a stream (see open_pdf): the file of a finished export,
        such as a job run's review document."""
        return self._open("get_export_content", _args(temp_file_id=temp_file_id,
                                                      workspace_id=workspace_id, timeout=timeout))
