"""The process-wide side of the binding: the loaded library, calls in flight, logging.

Calls without a progress callback make one blocking cx_call_bytes (the GIL is released
for the whole call). On the main thread, which alone receives KeyboardInterrupt, the
call also gets ``interrupt_fd``: the read end of the pipe Python's signal wakeup fd
writes to, so Ctrl-C cancels the Go call at once and raises KeyboardInterrupt
(_wakeup.py). Where that cannot be used (a user's wakeup fd or signal handlers are in
place), and for calls with a progress callback or a stream, the call goes through
the thread's inbox (_inbox.py): the caller polls it in short slices, so Ctrl-C is
delivered promptly and cancels the Go call, and takes the progress events and the
answer on its own thread. Async callers use their event loop's inbox, which the loop
watches. No answer reaches Python through a callback; only log lines do
(cx_set_log_callback).
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import ctypes
import json
import logging
import os
import threading
import time
from typing import Any, Callable, Deque, Dict, Iterator, List, Optional, Tuple

from . import _inbox, _lib, _wakeup
from .errors import ForkedProcessError, LibraryError, from_envelope

logger = logging.getLogger("cxreports")
logger.addHandler(logging.NullHandler())

lib = _lib.load()
#: The pid that loaded the Go runtime; a different pid means we are in a fork() child.
_LOADED_PID = os.getpid()
#: Set in a fork() child (os.register_at_fork): checked on every call instead of
#: os.getpid(), which is a system call each time.
_forked = False


def _mark_forked() -> None:
    global _forked
    _forked = True


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork()
    os.register_at_fork(after_in_child=_mark_forked)


def check_fork() -> None:
    if _forked:
        raise ForkedProcessError(
            "cxreports cannot be used in a child process created by fork(): the Go "
            "runtime inside libcxreports does not survive fork() and would hang. Use the "
            "'spawn' start method: multiprocessing.set_start_method('spawn'), or "
            "multiprocessing.get_context('spawn') / "
            "ProcessPoolExecutor(mp_context=multiprocessing.get_context('spawn')).",
            code="forked",
        )


def in_forked_child() -> bool:
    return _forked or os.getpid() != _LOADED_PID


_LEVELS = {0: logging.DEBUG, 1: logging.INFO, 2: logging.WARNING, 3: logging.ERROR}


def _on_log(level: int, msg_ptr: Optional[int], user_data: Optional[int]) -> None:
    message = _lib.take_string(lib, msg_ptr)
    try:
        logger.log(_LEVELS.get(level, logging.ERROR), "%s", message)
    except Exception:
        pass


# Module-level so that it lives as long as the library may call it.
_LOG = _lib.LOG_FN(_on_log)
_log_level: Optional[int] = None
_log_lock = threading.Lock()


def sync_log_level() -> None:
    """Ask the library only for messages the "cxreports" logger would emit.

    Checked before each call so that logging.getLogger("cxreports").setLevel(...) takes
    effect without asking the library for debug lines nobody reads.
    """
    global _log_level
    level = logger.getEffectiveLevel()
    if level == _log_level:
        return
    with _log_lock:
        _log_level = level
        if level > logging.ERROR:
            lib.cx_set_log_callback(_lib.LOG_FN(), 0, None)
        else:
            minimum = 0 if level <= logging.DEBUG else 1 if level <= logging.INFO else 2 if level <= logging.WARNING else 3
            lib.cx_set_log_callback(_LOG, minimum, None)


def start_async(loop: Any, handle: int, method: str, args_json: bytes,
                on_done: Callable[[str, Optional[bytes]], None],
                on_progress: Optional[Callable[[Dict[str, Any]], None]] = None) -> int:
    """Start one call through the inbox of the running loop `loop` (call on its thread);
    on_done(envelope, bytes) runs exactly once on that thread, after any on_progress."""
    check_fork()
    sync_log_level()
    return _inbox.loop_inbox(lib, loop).start(handle, method, args_json, on_done, on_progress)


def inbox_future(loop: Any) -> Tuple["asyncio.Future[Tuple[str, Optional[bytes]]]",
                                     Callable[[str, Optional[bytes]], None]]:
    """A future on loop, and the done callback (on_done of an inbox call) that settles it
    with (envelope, bytes). The answer comes after a cancellation too (cancelling a call
    only makes it end sooner), so callers await the future through asyncio.shield."""
    future: "asyncio.Future[Tuple[str, Optional[bytes]]]" = loop.create_future()

    def settle(envelope: str, data: Optional[bytes]) -> None:
        if not future.done():
            future.set_result((envelope, data))

    return future, settle


def cancel(request_id: int) -> None:
    if request_id and not in_forked_child():
        lib.cx_cancel(request_id)


def decode(envelope: str, data: Optional[bytes]) -> Tuple[Any, Optional[bytes]]:
    """Return (data, bytes) of a successful envelope, raise the mapped error otherwise."""
    try:
        parsed = json.loads(envelope)
    except ValueError as exc:
        raise LibraryError(f"cxreports: the library returned an unreadable envelope: {envelope[:200]!r}",
                           code="internal") from exc
    if parsed.get("ok"):
        return parsed.get("data"), data
    raise from_envelope(parsed.get("error") or {})


_SLICE = 0.1  # seconds the main thread blocks before checking for signals


def call_sync(handle: int, method: str, args_json: bytes,
              progress: Optional[Callable[[Dict[str, Any]], None]] = None) -> Tuple[Any, Optional[bytes]]:
    """Run a call to completion in the calling thread.

    Without a progress callback it is one blocking cx_call_bytes; on the main thread
    with interrupt_fd, so that Ctrl-C still interrupts it, or, when the wakeup fd is
    not ours to use, through the asynchronous route.
    """
    check_fork()
    main = threading.current_thread() is threading.main_thread()
    if progress is None:
        if not main:
            return _call_blocking(handle, method, args_json)
        fd = _wakeup.interrupt_fd()
        if fd >= 0:
            _wakeup.paths["blocking"] += 1
            return _call_blocking(handle, method, _wakeup.with_interrupt_fd(args_json, fd), True)
    if main:
        _wakeup.paths["async"] += 1
    return _call_interruptible(handle, method, args_json, progress)


def _call_blocking(handle: int, method: str, args_json: bytes,
                   interruptible: bool = False) -> Tuple[Any, Optional[bytes]]:
    """One cx_call_bytes. interruptible: a main-thread call with interrupt_fd, which
    turns Ctrl-C during the call into KeyboardInterrupt (_wakeup).

    SIGINT's handler stays in place: the library runs no Python code on the calling
    thread during the call (the thread waits in C while a library thread does the
    call and makes the log callbacks), so a Ctrl-C's handler can only run once the
    call has returned, in end_call() at the latest.

    The bytes of a binary method are copied once, from the library's block into a
    bytes object, and the block is freed right after: a file of N bytes peaks at 2N.
    """
    sync_log_level()
    data = ctypes.c_void_p()
    length = ctypes.c_size_t()
    try:
        try:
            # A KeyboardInterrupt raised as the call returns leaves through here at
            # any point: the envelope frees itself (OwnedPtr), the bytes below.
            envelope = lib.cx_call_bytes(handle, method.encode(), args_json, ctypes.byref(data),
                                         ctypes.byref(length)).take()
            blob = ctypes.string_at(data.value, length.value) if data.value else None
        finally:
            if data.value:
                lib.cx_free(data.value)
    finally:
        if interruptible:
            _wakeup.end_call()  # KeyboardInterrupt wins over the "canceled" envelope
    return decode(envelope, blob)


class _Waiter:
    """One call of this thread through the thread's inbox: its answer and the progress
    events not yet handed to the caller's callback."""

    __slots__ = ("answer", "events", "request_id")

    def __init__(self) -> None:
        self.answer: List[Tuple[str, Optional[bytes]]] = []
        self.events: Deque[Dict[str, Any]] = collections.deque()
        self.request_id = 0

    def deliver(self, envelope: str, data: Optional[bytes]) -> None:
        self.answer.append((envelope, data))

    def start(self, inbox: "_inbox.ThreadInbox", handle: int, method: str, args_json: bytes,
              with_events: bool) -> None:
        sync_log_level()
        self.request_id = inbox.start(handle, method, args_json, self.deliver,
                                      self.events.append if with_events else None)

    def cancel(self, inbox: "_inbox.ThreadInbox", patience: float) -> None:
        """Cancel the call and wait (at most patience seconds) for the library to
        answer, which it does once it has stopped and cleaned up (a save_* has removed
        its temporary file)."""
        cancel(self.request_id)
        deadline = time.monotonic() + patience
        while not self.answer and time.monotonic() < deadline:
            inbox.pump(_SLICE)


def _call_interruptible(handle: int, method: str, args_json: bytes,
                        progress: Optional[Callable[[Dict[str, Any]], None]]) -> Tuple[Any, Optional[bytes]]:
    """The call through this thread's inbox, polled in short slices so that Ctrl-C is
    delivered promptly.

    Progress events run in the calling thread; if the progress callback or a signal
    raises, the Go call is cancelled and the exception propagates.
    """
    waiter = _Waiter()
    inbox = _inbox.thread_inbox(lib)
    waiter.start(inbox, handle, method, args_json, progress is not None)
    try:
        while not waiter.answer:
            inbox.pump(_SLICE)
            _run_progress(waiter.events, progress)
        _run_progress(waiter.events, progress)
    except BaseException:
        waiter.cancel(inbox, 2.0)
        raise
    return decode(*waiter.answer[0])


def _run_progress(events: Deque[Dict[str, Any]],
                  progress: Optional[Callable[[Dict[str, Any]], None]]) -> None:
    while events and progress is not None:
        progress(events.popleft())


def batch_result(event: Dict[str, Any]) -> Dict[str, Any]:
    """A render_batch "item" event as the result the binding yields: the error becomes
    the exception it maps to (not raised)."""
    err = event.get("error")
    return {"index": event.get("index"), "output": event.get("output"), "status": event.get("status"),
            "bytes": event.get("bytes") or 0, "removed_temps": event.get("removed_temps") or 0,
            "error": from_envelope(err) if err else None}


def call_stream(handle: int, method: str, args_json: bytes,
                on_counts: Optional[Callable[[Dict[str, Any]], None]]) -> Iterator[Dict[str, Any]]:
    """Run a streaming call (render_batch) and yield its "item" events as they come.

    A generator: the call starts at the first next(). Other events go to on_counts. The
    caller's thread waits in short slices, so Ctrl-C arrives promptly; leaving early (a
    break, an exception, Ctrl-C) cancels the call and waits for its answer, by which
    time the library has removed what it was writing. The call has an inbox of its
    own: a generator may be resumed on another thread than the one that started it.
    """
    check_fork()
    waiter = _Waiter()
    inbox = _inbox.ThreadInbox(lib)
    finished = False
    try:
        waiter.start(inbox, handle, method, args_json, True)
        while True:
            while waiter.events:
                event = waiter.events.popleft()
                if event.get("stage") == "item":
                    yield batch_result(event)
                elif on_counts is not None:
                    on_counts(event)
            if waiter.answer:  # the library sends no event after the answer
                finished = True
                break
            inbox.pump(_SLICE)
    finally:
        if not finished and waiter.request_id:
            waiter.cancel(inbox, 10.0)
        inbox.close()
    decode(*waiter.answer[0])  # raises what ended the call: bad arguments, canceled, ...


class ClosesWhenCollected:
    """Mixin for an owner of a native handle (a client, a stream) that a caller may drop
    without close(): collection closes it. What close() raises then is dropped, since no
    caller is left to hear it. The class using it defines close()."""

    def __del__(self) -> None:
        try:
            self.close()  # type: ignore[attr-defined]
        except Exception:
            pass


def free_client(handle: int) -> None:
    if handle and not in_forked_child():
        lib.cx_free(lib.cx_client_free(handle))


def version_info() -> Dict[str, Any]:
    info = json.loads(_lib.take_string(lib, lib.cx_version()))
    return info if isinstance(info, dict) else {}


@atexit.register
def _shutdown() -> None:
    # The inboxes close themselves at exit (weakref.finalize), which cancels their calls;
    # the log callback is the one thing the library could still call.
    if in_forked_child():
        return
    lib.cx_set_log_callback(_lib.LOG_FN(), 0, None)
