"""Shapes of the values the client hands back beyond plain JSON."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Union

try:  # Python 3.8+
    from typing import TypedDict
except ImportError:  # pragma: no cover
    TypedDict = dict  # type: ignore

#: A workspace, report, job, run or export: numeric id or code.
Ref = Union[int, str]
#: A file path.
PathLike = Union[str, "os.PathLike[str]"]


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
