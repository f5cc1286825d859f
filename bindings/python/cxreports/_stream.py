"""Downloads read as they arrive: the file-like objects of open_pdf, open_post_pdf and
open_export_content, over the C ABI's pull stream (cx_stream_open / cx_stream_read /
cx_stream_close, include/cxreports.h "STREAMS").

The library reads the network a bounded two pieces (256 KiB to 1 MiB) ahead of the
reads, and each read copies what is there into the caller's buffer, so a file of any
size takes the same memory: a slow consumer slows the server down instead of filling
memory. The async client's streams are read through the event loop's inbox
(cx_inbox_stream_open / cx_inbox_stream_read), with the same read-ahead.
"""

from __future__ import annotations

import asyncio
import ctypes
import io
import json
import threading
import weakref
from typing import Any, Dict, Iterator, Optional

from . import _inbox, _lib, _runtime, _wakeup
from .errors import LibraryError

#: The piece size of readall() and of iteration: few foreign calls per megabyte, and
#: no more than this held at once.
CHUNK = 1 << 20


def _raise_envelope(ptr: Optional[int]) -> None:
    """Raise the error of the envelope the library stored on a failed stream call."""
    envelope = _lib.take_string(_runtime.lib, ptr)
    _runtime.decode(envelope, None)
    raise LibraryError(f"cxreports: the library failed with a success envelope: {envelope[:200]!r}",
                       code="internal")


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
        if stream:
            _close_stream(stream)
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


class AsyncReportStream:
    """The async client's stream (AsyncCxReportClientV1.open_pdf and siblings): ``await
    read(n)``, ``async for chunk in stream`` (chunks of up to 1 MiB), ``async with``.

    Reads go through the running loop's inbox (cx_inbox_stream_read), like every other
    call of the async client: no thread waits for the network, and the library reads up
    to two pieces of 1 MiB ahead while the loop handles the last one (so memory stays
    flat and the network is read at the consumer's pace). Cancelling the task that
    awaits a read closes the stream, which cancels the download. ``close()`` (or
    ``aclose()``) cancels it if it was not read to the end; a stream dropped unclosed
    is closed when collected. ``content_type``, ``filename`` and ``length`` are as on
    ReportStream."""

    def __init__(self, stream_id: int, info: Dict[str, Any]) -> None:
        self._id = stream_id
        self._piece = b""  # the last piece the library handed over
        self._offset = 0  # how much of it read() has returned
        self._eof = False
        self.content_type: str = info.get("content_type") or ""
        self.filename: Optional[str] = info.get("filename") or None
        size = info.get("bytes")
        self.length: Optional[int] = size if isinstance(size, int) and size >= 0 else None
        self._finalizer = weakref.finalize(self, _close_stream, stream_id)

    @property
    def closed(self) -> bool:
        return self._id == 0

    def _check_open(self) -> None:
        if self._id == 0:
            raise ValueError("I/O operation on closed stream.")

    async def read(self, size: int = -1) -> bytes:
        """Up to size bytes (all that is left when size < 0); b"" at the end."""
        self._check_open()
        if size is None or size < 0:
            parts = []
            while True:
                part = await self.read(CHUNK)
                if not part:
                    return b"".join(parts)
                parts.append(part)
        if size == 0:
            return b""
        if self._offset == len(self._piece):
            if self._eof:
                return b""
            self._piece, self._offset = await self._fetch(), 0
            if not self._piece:
                self._eof = True
                return b""
        start = self._offset
        self._offset = min(start + size, len(self._piece))
        if start == 0 and self._offset == len(self._piece):
            return self._piece  # the whole piece: no copy
        return self._piece[start:self._offset]

    async def _fetch(self) -> bytes:
        """The next piece from the library, b"" at the end."""
        loop = asyncio.get_running_loop()
        future, settle = _runtime.inbox_future(loop)
        _runtime.check_fork()
        _inbox.loop_inbox(_runtime.lib, loop).read_stream(self._id, CHUNK, settle)
        try:
            # shield: the future must still receive the library's answer, which the
            # close below brings at once (and which is then dropped).
            envelope, data = await asyncio.shield(future)
        except asyncio.CancelledError:
            self.close()  # ends the read and the download
            raise
        _, blob = _runtime.decode(envelope, data)
        return blob or b""

    def __aiter__(self) -> "AsyncReportStream":
        return self

    async def __anext__(self) -> bytes:
        chunk = await self.read(CHUNK)
        if not chunk:
            raise StopAsyncIteration
        return chunk

    def close(self) -> None:
        stream, self._id = self._id, 0
        self._piece, self._offset = b"", 0
        if stream:
            self._finalizer.detach()
            _close_stream(stream)

    async def aclose(self) -> None:
        self.close()

    async def __aenter__(self) -> "AsyncReportStream":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<AsyncReportStream {self.content_type!r} length={self.length!r} {state}>"


def _close_stream(stream: int) -> None:
    """cx_stream_close, except in a fork() child (whose library is not running)."""
    if not _runtime.in_forked_child():
        _runtime.lib.cx_stream_close(stream)


async def open_stream_async(handle: int, method: str, args_json: bytes) -> AsyncReportStream:
    """cx_inbox_stream_open through the running loop's inbox: sends the request and
    waits, without blocking the loop, for the headers and the first bytes. Cancelling
    the awaiting task cancels the opening (and closes the stream if it opened anyway)."""
    _runtime.check_fork()
    _runtime.sync_log_level()
    loop = asyncio.get_running_loop()
    future, settle = _runtime.inbox_future(loop)
    stream = _inbox.loop_inbox(_runtime.lib, loop).open_stream(handle, method, args_json, settle)
    try:
        envelope, _ = await asyncio.shield(future)
    except asyncio.CancelledError:
        _runtime.cancel(stream)
        # Closing an id that never opened is harmless; one that did must not be left open.
        future.add_done_callback(lambda _f: _close_stream(stream))
        raise
    info, _ = _runtime.decode(envelope, None)
    return AsyncReportStream(stream, info if isinstance(info, dict) else {})
