"""Downloads read as they arrive: the file-like objects of open_pdf, open_post_pdf and
open_export_content, over the C ABI's pull stream (cx_stream_open / cx_stream_read /
cx_stream_close, include/cxreports.h "STREAMS").

The library reads the network only when a read asks for bytes, and each read copies
straight into the caller's buffer, so a file of any size takes the same memory: a slow
consumer slows the server down instead of filling memory.
"""

from __future__ import annotations

import asyncio
import ctypes
import io
import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterator, Optional

from . import _lib, _runtime, _wakeup
from .errors import LibraryError, from_envelope

#: The piece size of readall() and of iteration: few foreign calls per megabyte, and
#: no more than this held at once.
CHUNK = 1 << 20


def _raise_envelope(ptr: Optional[int]) -> None:
    envelope = _lib.take_string(_runtime.lib, ptr)
    try:
        parsed = json.loads(envelope)
    except ValueError as exc:
        raise LibraryError(f"cxreports: the library returned an unreadable envelope: {envelope[:200]!r}",
                           code="internal") from exc
    raise from_envelope(parsed.get("error") or {"code": "internal", "message": envelope})


class ReportStream(_runtime.ClosesWhenCollected, io.RawIOBase):
    """A report (PDF, or an export's file) being downloaded, read like a binary file.

    ``content_type``, ``filename`` (None when the server sent none) and ``length`` (the
    Content-Length, None when unknown) are known before the first read. ``read(n)``,
    ``readinto``, ``readall`` and ``shutil.copyfileobj`` work as on a file; iterating
    yields chunks of up to 1 MiB (not lines). ``close()`` (or leaving the ``with``
    block) cancels the download if it was not read to the end; it may be called from
    another thread while a read waits, which then raises Canceled.

    A cut connection before the stream was opened starts over; after that a read raises
    ConnectionFailed, and the stream never restarts by itself. A read on the main
    thread is interrupted by Ctrl-C (KeyboardInterrupt; the download is canceled).
    """

    def __init__(self, stream_id: int, info: Dict[str, Any], interruptible: bool) -> None:
        super().__init__()
        self._id = stream_id
        self._interruptible = interruptible
        self._close_lock = threading.Lock()
        self.content_type: str = info.get("content_type") or ""
        self.filename: Optional[str] = info.get("filename") or None
        size = info.get("bytes")
        self.length: Optional[int] = size if isinstance(size, int) and size >= 0 else None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # type: ignore[override]
        self._checkClosed()
        view = memoryview(buffer).cast("B")
        if not view.nbytes:
            return 0
        target = (ctypes.c_char * view.nbytes).from_buffer(view)
        error = ctypes.c_void_p()
        try:
            n = _runtime.lib.cx_stream_read(self._id, target, view.nbytes, ctypes.byref(error))
        finally:
            if self._interruptible:
                _wakeup.end_call()  # KeyboardInterrupt wins over the "canceled" error
        if n < 0:
            _raise_envelope(error.value)
        return n

    def readall(self) -> bytes:
        chunks = []
        while True:
            chunk = self.read(CHUNK)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        return self

    def __next__(self) -> bytes:
        chunk = self.read(CHUNK)
        if not chunk:
            raise StopIteration
        return chunk

    def close(self) -> None:
        with self._close_lock:
            stream, self._id = self._id, 0
        if stream and not _runtime.in_forked_child():
            _runtime.lib.cx_stream_close(stream)
        super().close()

    def __enter__(self) -> "ReportStream":
        return self

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<ReportStream {self.content_type!r} length={self.length!r} {state}>"


def open_stream(handle: int, method: str, args_json: bytes) -> ReportStream:
    """cx_stream_open: send the request, wait for the headers and the first bytes, and
    return the stream. On the main thread it also gets interrupt_fd (_wakeup.py), so
    Ctrl-C cancels it while it is open."""
    _runtime.check_fork()
    _runtime.sync_log_level()
    interruptible = False
    if threading.current_thread() is threading.main_thread():
        fd = _wakeup.interrupt_fd()
        if fd >= 0:
            args_json = _wakeup.with_interrupt_fd(args_json, fd)
            interruptible = True
    result = ctypes.c_void_p()
    try:
        stream = _runtime.lib.cx_stream_open(handle, method.encode(), args_json, ctypes.byref(result))
    finally:
        if interruptible:
            _wakeup.end_call()
    if not stream:
        _raise_envelope(result.value)
    envelope = _lib.take_string(_runtime.lib, result.value)
    try:
        info = json.loads(envelope).get("data") or {}
    except ValueError:
        info = {}
    return ReportStream(stream, info, interruptible)


# The async client's streams read on threads of their own: a read waits in the library
# until bytes arrive, which must not block the event loop. One thread per stream that
# is reading at that moment, at most this many at once (more wait their turn).
_POOL: Optional[ThreadPoolExecutor] = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="cxreports-stream")
        return _POOL


async def _off_loop(fn: Callable[..., Any], *args: Any,
                    on_abandoned: Optional[Callable[[Any], None]] = None) -> Any:
    """fn(*args) on a pool thread. When the awaiting task is cancelled, the thread
    still finishes; on_abandoned then gets what it returned (to close a stream that
    opened after all)."""
    future = _pool().submit(fn, *args)
    try:
        return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        if on_abandoned is not None:
            def settle(done: "Future[Any]") -> None:
                if not done.cancelled() and done.exception() is None:
                    on_abandoned(done.result())
            future.add_done_callback(settle)
        raise


class AsyncReportStream:
    """The async client's stream (AsyncCxReportClientV1.open_pdf and siblings): ``await
    read(n)``, ``async for chunk in stream`` (chunks of up to 1 MiB), ``async with``.
    Each read runs on a thread of its own, so the loop never blocks; cancelling the task
    that awaits a read closes the stream, which cancels the download. ``close()`` (or
    ``aclose()``) cancels it if it was not read to the end. ``content_type``,
    ``filename`` and ``length`` are as on ReportStream."""

    def __init__(self, stream: ReportStream) -> None:
        self._stream = stream
        self.content_type = stream.content_type
        self.filename = stream.filename
        self.length = stream.length

    @property
    def closed(self) -> bool:
        return self._stream.closed

    async def read(self, size: int = -1) -> bytes:
        """Up to size bytes (all that is left when size < 0); b"" at the end."""
        self._stream._checkClosed()
        try:
            return await _off_loop(self._stream.read, size)
        except asyncio.CancelledError:
            self._stream.close()  # ends the read on its thread and the download
            raise

    def __aiter__(self) -> "AsyncReportStream":
        return self

    async def __anext__(self) -> bytes:
        chunk = await self.read(CHUNK)
        if not chunk:
            raise StopAsyncIteration
        return chunk

    def close(self) -> None:
        self._stream.close()

    async def aclose(self) -> None:
        self._stream.close()

    async def __aenter__(self) -> "AsyncReportStream":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self._stream.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<AsyncReportStream {self.content_type!r} length={self.length!r} {state}>"


async def open_stream_async(handle: int, method: str, args_json: bytes) -> AsyncReportStream:
    """open_stream on a pool thread (it waits for the headers and the first bytes)."""
    stream = await _off_loop(open_stream, handle, method, args_json,
                             on_abandoned=lambda s: s.close())
    return AsyncReportStream(stream)
