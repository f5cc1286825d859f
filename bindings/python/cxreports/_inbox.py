"""The library's inboxes (include/cxreports.h, "INBOXES"): how answers come back.

Every call that does not block its thread in cx_call_bytes runs through an inbox: the
library queues the call's progress events and then its answer there and writes a byte
to a socket; the binding reads that socket on a thread of its own choosing, takes the
events with cx_inbox_next and hands each to the call it belongs to. The library never
calls into Python for a call: no library thread waits for the GIL, nothing arrives in an
interpreter that is shutting down, and every answer is taken on the thread that waits
for it. (cx_call_async's callbacks remain for C programs.)

Two kinds of owner:

* An asyncio event loop has one inbox (LoopInbox), which the loop itself watches
  (loop.add_reader): its events are taken on the loop's thread and settle the calls'
  futures there. One per loop, not per async client: a client is not tied to a loop
  (it is built outside any, and may serve one asyncio.run() after another, or loops in
  several threads), and all the clients of a loop share one descriptor and one reader.
  The loop's selector is what keeps the inbox alive, so closing the loop (or the loop
  being collected) drops it, and dropping it closes the inbox: the library cancels its
  calls still in flight and frees whatever they still deliver.
* A thread that waits for a call itself (a progress callback, render_batch, or the
  main thread's interruptible route) has one inbox of its own (thread_inbox()), polls
  its descriptor in short slices and takes the events between them. It is closed when
  the thread ends.

The descriptors are close-on-exec; in a fork() child every inbox is forgotten (its copy
of the descriptor closed, the library never called: its Go runtime is gone), so that a
child cannot read the parent's wake-ups.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import select
import socket
import sys
import threading
import weakref
from ctypes import c_int, c_void_p
from typing import Any, Callable, Dict, Optional

from . import _lib
from .errors import LibraryError

logger = logging.getLogger("cxreports")

# Kinds of cx_event.
DONE, PROGRESS = 1, 2

OnDone = Callable[[str, Optional[bytes]], None]
OnProgress = Callable[[Dict[str, Any]], None]

#: Answers and progress events taken from inboxes, for tests to prove which route a
#: call took. Counted on the taking thread; read them only once the calls are over.
deliveries = {"done": 0, "progress": 0}


#: Our end of an inbox is a Windows socket handle (read with recv, waited on with
#: select.select; os.read and select.poll do not exist for it there), not a file
#: descriptor. Tests set it on Linux, where the inbox's end is a socket too.
SOCKETS = sys.platform == "win32"


def _close(lib: ctypes.CDLL, ident: int, fd: int, sock: Optional[socket.socket]) -> None:
    """Ends an inbox (its calls are canceled, what they still deliver is freed) and
    closes our end of its socket. Runs once, from close() or when the inbox is dropped."""
    try:
        lib.cx_inbox_close(ident)
    finally:
        _close_end(fd, sock)


def _close_end(fd: int, sock: Optional[socket.socket]) -> None:
    try:
        if sock is not None:
            sock.close()
        else:
            os.close(fd)
    except OSError:
        pass


class _Call:
    __slots__ = ("on_done", "on_progress")

    def __init__(self, on_done: OnDone, on_progress: Optional[OnProgress]) -> None:
        self.on_done = on_done
        self.on_progress = on_progress


#: Every inbox alive in this process, for the fork() child to forget.
_live: "weakref.WeakSet[Inbox]" = weakref.WeakSet()


class Inbox:
    """One library inbox: its id, our end of its socket, and its calls in flight.

    Used by one thread at a time (its owner), except close(), which any thread may call.
    """

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        fd = c_int(-1)
        error = c_void_p()
        ident = lib.cx_inbox_new(ctypes.byref(fd), ctypes.byref(error))
        text = _lib.take_string(lib, error.value)
        if not ident:
            try:
                message = json.loads(text)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = text or "cx_inbox_new failed"
            raise LibraryError(f"cxreports: cannot set up the library's event queue: {message}",
                               code="internal")
        self.id: int = ident
        self.fd: int = fd.value
        self.calls: Dict[int, _Call] = {}
        self.closed = False
        self._sock: Optional[socket.socket] = None
        if SOCKETS:
            self._sock = socket.socket(fileno=self.fd)
            self._sock.setblocking(False)
            self._read: Callable[[int], bytes] = self._sock.recv
        else:
            os.set_blocking(self.fd, False)
            self._read = lambda n: os.read(self.fd, n)
        self._finalizer = weakref.finalize(self, _close, lib, ident, self.fd, self._sock)
        _live.add(self)

    def start(self, handle: int, method: str, args_json: bytes, on_done: OnDone,
              on_progress: Optional[OnProgress] = None) -> int:
        """Starts a call whose answer goes to on_done(envelope, bytes) exactly once, on the
        thread that takes this inbox's events, after its progress events (to on_progress).
        Returns the request id (for cx_cancel)."""
        return self._begin(method, lambda: self.lib.cx_inbox_call(
            self.id, handle, method.encode(), args_json, 1 if on_progress is not None else 0),
            on_done, on_progress)

    def open_stream(self, handle: int, method: str, args_json: bytes, on_done: OnDone) -> int:
        """cx_inbox_stream_open: on_done gets cx_stream_open's envelope. Returns the
        stream's id, which is also the opening's request id (cx_cancel)."""
        return self._begin(method, lambda: self.lib.cx_inbox_stream_open(
            self.id, handle, method.encode(), args_json), on_done, None)

    def read_stream(self, stream: int, cap: int, on_done: OnDone) -> int:
        """cx_inbox_stream_read: on_done gets {"bytes": n} and the n bytes (none at the end)."""
        return self._begin("a stream read", lambda: self.lib.cx_inbox_stream_read(
            self.id, stream, cap), on_done, None)

    def _begin(self, what: str, launch: Callable[[], int], on_done: OnDone,
               on_progress: Optional[OnProgress]) -> int:
        if self.closed:
            raise LibraryError(f"cxreports: cannot start {what}: this event queue is closed",
                               code="internal")
        request_id = launch()
        if not request_id:
            raise LibraryError(f"cxreports: the library refused to start {what}: its event "
                               "queue is closed", code="internal")
        # Nothing is taken before this: events are taken on this same thread.
        self.calls[request_id] = _Call(on_done, on_progress)
        return request_id

    def take(self) -> None:
        """Takes every event waiting and hands each to its call.

        The wake-up bytes are read first: a byte written after that read announces
        events the loop below may take already (the next wake-up then finds none), while
        reading after the loop could swallow the wake-up of an event it missed.
        """
        if self.closed:
            return
        try:
            while True:
                chunk = self._read(4096)
                if not chunk:
                    self._broken("its socket reached end-of-file")
                    return
                if len(chunk) < 4096:
                    break
        except BlockingIOError:
            pass
        except OSError as exc:
            self._broken(str(exc))
            return
        lib, event = self.lib, _lib.Event()
        while lib.cx_inbox_next(self.id, ctypes.byref(event)):
            try:
                text = _lib.take_string(lib, event.text)
            finally:
                data = _lib.take_bytes(lib, event.data, event.len) if event.data else None
            if event.kind == DONE:
                call = self.calls.pop(event.request_id, None)
                if call is not None:
                    deliveries["done"] += 1
                    self._hand(call.on_done, text, data)
            elif event.kind == PROGRESS:
                call = self.calls.get(event.request_id)
                if call is not None and call.on_progress is not None:
                    try:
                        parsed = json.loads(text)
                    except ValueError:
                        continue  # a report we cannot read is not worth failing the call for
                    deliveries["progress"] += 1
                    self._hand(call.on_progress, parsed)

    @staticmethod
    def _hand(fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:  # the receivers catch their own; nothing else could report this
            logger.exception("cxreports: handing over an event of the library failed")

    def _broken(self, reason: str) -> None:
        """Our end of the socket failed or read end-of-file, which only closing the inbox
        does: no event can arrive any more, so every call still waiting ends now."""
        if self.closed:
            return
        message = (f"cxreports: the library's event queue closed ({reason}); calls can no "
                   "longer complete. This is a bug; please report it.")
        envelope = json.dumps({"ok": False, "error": {"code": "internal", "message": message}})
        calls, self.calls = self.calls, {}
        self.close()
        for call in calls.values():
            self._hand(call.on_done, envelope, None)

    def close(self) -> None:
        """Ends the inbox now: its calls in flight are canceled, their answers dropped."""
        self.closed = True
        self._finalizer()

    def _forget(self) -> None:
        """In a fork() child: close our copy of the socket, never calling the library."""
        self.closed = True
        if self._finalizer.detach() is not None:
            _close_end(self.fd, self._sock)


class ThreadInbox(Inbox):
    """The inbox of one thread that waits for its own calls."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        super().__init__(lib)
        self._poller = None
        if not SOCKETS:
            self._poller = select.poll()
            self._poller.register(self.fd, select.POLLIN)

    def pump(self, timeout: float) -> None:
        """Waits up to timeout seconds for events, then takes them. A signal's handler
        runs during the wait (the main thread), and what it raises leaves from here."""
        if self._poller is not None:
            ready = bool(self._poller.poll(int(timeout * 1000)))
        else:
            ready = bool(select.select([self.fd], [], [], timeout)[0])
        if ready:
            self.take()


_threads = threading.local()


def thread_inbox(lib: ctypes.CDLL) -> ThreadInbox:
    """The calling thread's inbox, created on first use; it closes when the thread ends."""
    inbox = getattr(_threads, "inbox", None)
    if inbox is None or inbox.closed:
        inbox = _threads.inbox = ThreadInbox(lib)
    return inbox


class LoopInbox(Inbox):
    """The inbox of one asyncio event loop, read by the loop on its thread."""

    def __init__(self, lib: ctypes.CDLL, loop: Any) -> None:
        super().__init__(lib)
        self._loop = weakref.ref(loop)
        try:
            # The loop's selector now holds this inbox (through the bound method): it
            # lives exactly as long as the loop watches it.
            loop.add_reader(self.fd, self.take)
        except NotImplementedError as exc:
            self.close()
            raise LibraryError(
                f"cxreports: the async client needs an event loop that can watch a file "
                f"descriptor (loop.add_reader); {type(loop).__name__} cannot", code="internal") from exc

    def close(self) -> None:
        loop = self._loop()
        if not self.closed and loop is not None and not loop.is_closed():
            loop.remove_reader(self.fd)
        super().close()


# loop -> a weak reference to its inbox: the loop (its selector) owns the inbox, and
# neither this table nor the inbox keeps the loop alive.
_loops: "weakref.WeakKeyDictionary[Any, weakref.ref[LoopInbox]]" = weakref.WeakKeyDictionary()


def loop_inbox(lib: ctypes.CDLL, loop: Any) -> LoopInbox:
    """The inbox of a running loop, created and watched on first use. Call on its thread."""
    ref = _loops.get(loop)
    inbox = ref() if ref is not None else None
    if inbox is None or inbox.closed:
        inbox = LoopInbox(lib, loop)
        _loops[loop] = weakref.ref(inbox)
    return inbox


def _forget_all() -> None:
    for inbox in list(_live):
        inbox._forget()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork()
    os.register_at_fork(after_in_child=_forget_all)
