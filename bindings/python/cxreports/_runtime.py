"""The process-wide side of the binding: the loaded library, calls in flight, logging.

Calls without a progress callback make one blocking cx_call_bytes (the GIL is released
for the whole call). On the main thread, which alone receives KeyboardInterrupt, the
call also gets ``interrupt_fd``: the read end of the pipe Python's signal wakeup fd
writes to, so Ctrl-C cancels the Go call at once and raises KeyboardInterrupt
(_wakeup.py). Where that cannot be used (a user's wakeup fd or signal handlers are in
place), and for calls with a progress callback, the call goes through cx_call_async:
the library answers on one of its own threads through a single, never-freed ctypes
callback, ``user_data`` is a key into ``_pending``, which holds what to do with the
answer, and the caller waits in short slices so Ctrl-C is delivered promptly and
cancels the Go call. Async callers get the answer through loop.call_soon_threadsafe.
"""

from __future__ import annotations

import atexit
import ctypes
import itertools
import json
import logging
import os
import queue
import threading
import time
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

from . import _lib, _wakeup
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


os.register_at_fork(after_in_child=_mark_forked)

Deliver = Callable[[str, Optional[bytes]], None]
OnProgress = Callable[[Dict[str, Any]], None]


class Pending:
    """One call in flight: where its answer and its progress events go."""

    __slots__ = ("deliver", "progress", "request_id")

    def __init__(self, deliver: Deliver, progress: Optional[OnProgress]) -> None:
        self.deliver = deliver
        self.progress = progress
        self.request_id = 0


_pending: Dict[int, Pending] = {}
_keys = itertools.count(1)  # 0 would arrive as a NULL user_data


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


def _on_done(request_id: int, env_ptr: Optional[int], data_ptr: Optional[int], length: int,
             user_data: Optional[int]) -> None:
    # Runs on a library thread. Free what we were handed before anything can fail.
    try:
        envelope = _lib.take_string(lib, env_ptr)
    finally:
        data = _lib.take_bytes(lib, data_ptr, length) if data_ptr else None
    pending = _pending.pop(user_data or 0, None)
    if pending is None:
        logger.error("cxreports: answer for unknown request %d dropped", request_id)
        return
    try:
        pending.deliver(envelope, data)
    except Exception:  # a ctypes callback must not raise; nothing else can report it
        logger.exception("cxreports: delivering the answer of request %d failed", request_id)


def _on_progress(request_id: int, event_ptr: Optional[int], user_data: Optional[int]) -> None:
    text = _lib.take_string(lib, event_ptr)
    pending = _pending.get(user_data or 0)
    if pending is None or pending.progress is None:
        return
    try:
        pending.progress(json.loads(text))
    except Exception:
        logger.exception("cxreports: progress event of request %d dropped", request_id)


_LEVELS = {0: logging.DEBUG, 1: logging.INFO, 2: logging.WARNING, 3: logging.ERROR}


def _on_log(level: int, msg_ptr: Optional[int], user_data: Optional[int]) -> None:
    message = _lib.take_string(lib, msg_ptr)
    try:
        logger.log(_LEVELS.get(level, logging.ERROR), "%s", message)
    except Exception:
        pass


# Module-level so they live as long as the library may call them.
_DONE = _lib.DONE_FN(_on_done)
_PROGRESS = _lib.PROGRESS_FN(_on_progress)
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


def start(handle: int, method: str, args_json: bytes, pending: Pending) -> int:
    """Start one call; the answer arrives through pending.deliver exactly once."""
    check_fork()
    sync_log_level()
    key = next(_keys)
    _pending[key] = pending
    request_id = lib.cx_call_async(
        handle, method.encode(), args_json, _DONE,
        _PROGRESS if pending.progress is not None else _lib.PROGRESS_FN(), key,
    )
    if not request_id:
        _pending.pop(key, None)
        raise LibraryError(f"cxreports: the library refused to start {method}", code="internal")
    pending.request_id = request_id
    return request_id


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
    """The answer slot of one interruptible call: the library thread fills it and
    releases a lock the caller is blocked on; progress events queue up beside it."""

    __slots__ = ("done", "answer", "events")

    def __init__(self, with_progress: bool) -> None:
        self.done = threading.Lock()
        self.done.acquire()
        self.answer: Tuple[str, Optional[bytes]] = ("", None)
        self.events: "Optional[queue.SimpleQueue[Dict[str, Any]]]" = (
            queue.SimpleQueue() if with_progress else None)

    def deliver(self, envelope: str, data: Optional[bytes]) -> None:
        self.answer = (envelope, data)
        self.done.release()


def _call_interruptible(handle: int, method: str, args_json: bytes,
                        progress: Optional[Callable[[Dict[str, Any]], None]]) -> Tuple[Any, Optional[bytes]]:
    """cx_call_async, then wait in short slices so Ctrl-C is delivered promptly.

    Progress events run in the calling thread; if the progress callback or a signal
    raises, the Go call is cancelled and the exception propagates.
    """
    waiter = _Waiter(progress is not None)
    pending = Pending(waiter.deliver, waiter.events.put if waiter.events is not None else None)
    request_id = start(handle, method, args_json, pending)
    try:
        while not waiter.done.acquire(timeout=_SLICE):
            _run_progress(waiter, progress)
        _run_progress(waiter, progress)
    except BaseException:
        cancel(request_id)
        # The library answers a cancel almost at once; waiting for it means no library
        # thread calls back into an interpreter that is shutting down.
        waiter.done.acquire(timeout=2.0)
        raise
    return decode(*waiter.answer)


def _run_progress(waiter: _Waiter, progress: Optional[Callable[[Dict[str, Any]], None]]) -> None:
    if waiter.events is None or progress is None:
        return
    while True:
        try:
            event = waiter.events.get_nowait()
        except queue.Empty:
            return
        progress(event)


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
    time the library has removed what it was writing.
    """
    check_fork()
    events: "queue.SimpleQueue[Optional[Dict[str, Any]]]" = queue.SimpleQueue()
    answer: list = []

    def deliver(envelope: str, data: Optional[bytes]) -> None:
        answer.append((envelope, data))
        events.put(None)  # after every event: the library sends none after the answer

    request_id = start(handle, method, args_json, Pending(deliver, events.put))
    finished = False
    try:
        while True:
            try:
                event = events.get(timeout=_SLICE)
            except queue.Empty:
                continue
            if event is None:
                finished = True
                break
            if event.get("stage") == "item":
                yield batch_result(event)
            elif on_counts is not None:
                on_counts(event)
    finally:
        if not finished:
            cancel(request_id)
            deadline = time.monotonic() + 10.0
            while not answer and time.monotonic() < deadline:
                try:
                    events.get(timeout=_SLICE)
                except queue.Empty:
                    pass
    decode(*answer[0])  # raises what ended the call: bad arguments, canceled, ...


def free_client(handle: int) -> None:
    if handle and not in_forked_child():
        lib.cx_free(lib.cx_client_free(handle))


def version_info() -> Dict[str, Any]:
    info = json.loads(_lib.take_string(lib, lib.cx_version()))
    return info if isinstance(info, dict) else {}


@atexit.register
def _shutdown() -> None:
    # Cancel what is still running and let the answers arrive while the interpreter can
    # still run the callbacks; a callback entering a finalizing interpreter would hang.
    if in_forked_child():
        return
    for pending in list(_pending.values()):
        cancel(pending.request_id)
    deadline = time.monotonic() + 5.0
    while _pending and time.monotonic() < deadline:
        time.sleep(0.01)
    lib.cx_set_log_callback(_lib.LOG_FN(), 0, None)
