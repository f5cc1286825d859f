"""cxreports: a fast CxReports v1 API client backed by the Go core (libcxreports.so).

A drop-in replacement for the official ``cxreports-api-client`` 0.0.5::

    from cxreports import CxReportClientV1
    client = CxReportClientV1(base_url, default_workspace_id, token)
    pdf = client.get_pdf(160)
"""

from ._config import __version__
from ._runtime import version_info as _version_info
from .aio import AsyncCxReportClientV1
from .client import CxReportClientV1
from .errors import (Canceled, ClientClosed, ConnectionFailed, CxReportsError, ExportFailed,
                     FileWriteError, ForkedProcessError, HTTPError, InvalidConfig, InvalidInput,
                     InvalidResponse, LibraryError, NotFound, Timeout, Unauthenticated)
from .types import BatchProgress, BatchResult, Download, Progress


def library_version() -> dict:
    """Version of the loaded native library: {"version", "abi", "go"}."""
    return _version_info()


__all__ = [
    "__version__", "library_version", "CxReportClientV1", "AsyncCxReportClientV1",
    "CxReportsError", "Unauthenticated", "HTTPError", "NotFound", "Timeout", "ConnectionFailed",
    "Canceled", "InvalidInput", "InvalidResponse", "InvalidConfig", "ExportFailed",
    "FileWriteError", "ClientClosed", "ForkedProcessError", "LibraryError", "Download", "Progress",
    "BatchProgress", "BatchResult",
]
