"""Shapes of the values the client hands back beyond plain JSON."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Literal, Union

try:  # Python 3.8+
    from typing import TypedDict
except ImportError:  # pragma: no cover
    TypedDict = dict  # type: ignore

#: A workspace, report, job, run or export: numeric id or code.
Ref = Union[int, str]
#: A file path.
PathLike = Union[str, "os.PathLike[str]"]
#: render_batch's concurrency: exactly N renders in flight, or "auto" (adapt to the server).
Concurrency = Union[int, Literal["auto"]]


class Download(TypedDict, total=False):
    """What save_pdf / save_post_pdf / save_export_content / export_to_file return."""

    path: str
    bytes: int
    content_type: str
    filename: str
    temporary_file_id: Any


@dataclass(frozen=True)
class Progress:
    """One progress event of a wait or a download.

    stage is "waiting", "downloading" or "done"; status is the server's status while
    waiting (InProgress, ...); bytes_total is -1 when unknown; elapsed is in seconds.
    """

    stage: str
    status: str
    polls: int
    bytes_done: int
    bytes_total: int
    elapsed: float

    @classmethod
    def from_event(cls, event: Dict[str, Any]) -> "Progress":
        return cls(
            stage=str(event.get("stage") or ""),
            status=str(event.get("status") or ""),
            polls=int(event.get("polls") or 0),
            bytes_done=int(event.get("bytes_done") or 0),
            bytes_total=int(event.get("bytes_total", -1) if event.get("bytes_total") is not None else -1),
            elapsed=float(event.get("elapsed") or 0.0),
        )


ProgressCallback = Callable[[Progress], Any]


class BatchResult(TypedDict, total=False):
    """One finished item of render_batch: its position in the items, the file written,
    "ok", "skipped" (the file existed) or "failed", its size, how many stale temporaries
    of a killed earlier run were removed beside it, and for a failed item the error (a
    CxReportsError, not raised)."""

    index: int
    output: str
    status: str
    bytes: int
    removed_temps: int
    error: Any


@dataclass(frozen=True)
class BatchProgress:
    """Counts of a render_batch so far; throttled counts the 429/503 answers that slowed
    it down, limit the renders it allows in flight now (with concurrency "auto" it
    changes), removed_temps the stale temporaries of a killed earlier run it removed."""

    ok: int
    failed: int
    skipped: int
    throttled: int
    total: int
    elapsed: float
    # Last and with defaults, so that code building a BatchProgress positionally (tests,
    # fakes of a progress callback) keeps working.
    limit: int = 0
    removed_temps: int = 0

    @classmethod
    def from_event(cls, event: Dict[str, Any]) -> "BatchProgress":
        return cls(*(int(event.get(k) or 0) for k in ("ok", "failed", "skipped", "throttled", "total")),
                   elapsed=float(event.get("elapsed") or 0.0), limit=int(event.get("limit") or 0),
                   removed_temps=int(event.get("removed_temps") or 0))


BatchProgressCallback = Callable[[BatchProgress], Any]
