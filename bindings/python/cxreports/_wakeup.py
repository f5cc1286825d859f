"""Ctrl-C for blocking calls on the main thread, through Python's signal wakeup fd.

A blocking cx_call_bytes on the main thread would hold off KeyboardInterrupt until the
call ends: Python runs signal handlers between bytecodes, and the thread is inside
the library. But Python's C-level signal handler also writes a byte to the "wakeup
fd" (signal.set_wakeup_fd) the moment a signal arrives. The binding makes that fd the
write end of its own pipe and passes the read end as the call's ``interrupt_fd``: the
library watches it, cancels the call when it becomes readable, the call returns at
once, and the binding raises KeyboardInterrupt right after it. The Go request is
cancelled. No Python code runs on the calling thread during the call (it waits in C
while a library thread does the call and makes any log callbacks), so SIGINT's default
handler stays pending until end_call() runs it.

That holds only while the byte can only mean "KeyboardInterrupt follows", so
``interrupt_fd()`` returns -1 (the caller then takes the asynchronous route: the call
goes through the thread's inbox, which it polls in Python, running signal handlers as
usual) when:

* SIGINT's handler is not Python's default one (a handler that does not raise would
  see the call cancelled instead of finishing), or any other signal has a Python
  handler (its signals write to the wakeup fd too);
* someone else's wakeup fd is set (asyncio's, an application's): it is put back as
  it was and left alone (its warn_on_full_buffer flag returns to the default);
* set_wakeup_fd cannot be used here (not the main thread of the main interpreter).

These are checked on every call, since asyncio.run() and others set and reset the
wakeup fd. Once set, the binding's pipe stays the wakeup fd (never closed, so the
library's watcher of it lives as long as the process); the bytes signals leave in it
between calls are drained before each call.

On Windows the same scheme runs over a loopback socket pair instead of a pipe:
set_wakeup_fd there takes a socket, not a file descriptor, and a console Ctrl-C still
reaches the main thread's SIGINT handler (Python turns the console control event into
SIGINT). interrupt_fd is then the read socket's handle, which the library watches
(docs/contract.md). Windows has no select.poll: the drain check uses select.select,
which takes sockets there.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import socket
import sys

try:  # the C function: signal.getsignal wraps each result in an enum, 10x slower
    from _signal import getsignal as _getsignal
except ImportError:  # pragma: no cover - other interpreters
    _getsignal = signal.getsignal

# PyErr_CheckSignals runs pending signal handlers now. A signal that the kernel
# delivered to one of the library's threads marks itself pending but does not make
# the main thread's interpreter loop look (only the main thread sets that flag), so
# after an interrupted call nothing would run the handler until much later. Called
# through pythonapi (the GIL held), an exception a handler raises is raised here.
_check_signals = ctypes.pythonapi.PyErr_CheckSignals
_check_signals.argtypes = []
_check_signals.restype = ctypes.c_int

#: The wake-up channel is a socket pair (Windows; tests set it elsewhere, where a socket
#: pair works as well) rather than a pipe. Read when the channel is first made.
SOCKETS = sys.platform == "win32"

_read_fd = -1
_write_fd = -1
_sockets: "tuple[socket.socket, socket.socket] | None" = None  # kept open for the process
# poll(0) on the read end: a cheaper "anything to drain?" than a read that fails with
# BlockingIOError, which is what nearly every call would otherwise make. Only the main
# thread uses it (a poll object is not for concurrent use). None with the socket pair.
_poller = None
# Signals that cannot be caught have no handler to look at (Windows has neither).
_UNCATCHABLE = {signal.SIGINT} | {getattr(signal, n) for n in ("SIGKILL", "SIGSTOP") if hasattr(signal, n)}
_OTHER_SIGNALS = tuple(sorted(s for s in signal.valid_signals() if s not in _UNCATCHABLE))

#: How main-thread calls went: "blocking" (cx_call_bytes with interrupt_fd) or "async"
#: (the thread's inbox, polled in Python: a progress callback, or the fallback). For tests.
paths = {"blocking": 0, "async": 0}


def _drain() -> bytes:
    got = b""
    read = _sockets[0].recv if _sockets is not None else lambda n: os.read(_read_fd, n)
    try:
        while True:
            chunk = read(512)
            if not chunk:
                return got
            got += chunk
    except OSError:  # empty (BlockingIOError), or closed by someone else's closerange
        return got


def _only_default_handlers() -> bool:
    # map() keeps the loop over ~60 signals in C: it runs before every call.
    return (_getsignal(signal.SIGINT) is signal.default_int_handler
            and not any(map(callable, map(_getsignal, _OTHER_SIGNALS))))


def interrupt_fd() -> int:
    """The fd to pass as interrupt_fd for a blocking call on the main thread, or -1.

    Must be called on the main thread, right before the call.
    """
    if not _only_default_handlers():
        return -1
    if _write_fd < 0:
        _open()
    # Bytes of signals that arrived between calls: their handlers have run already.
    if _readable():  # readable, or an error/hang-up the read then reports
        _drain()
    try:
        old = signal.set_wakeup_fd(_write_fd, warn_on_full_buffer=False)
    except (ValueError, OSError):
        return -1
    if old not in (-1, _write_fd):
        signal.set_wakeup_fd(old)
        # A signal that arrived in between wrote to our pipe: pass it on.
        missed = _drain()
        if missed:
            _pass_on(old, missed)
        return -1
    return _read_fd


def _open() -> None:
    """Makes the wake-up channel, once: non-blocking at both ends (set_wakeup_fd requires
    it of the write end; a full channel drops bytes), non-inheritable."""
    global _read_fd, _write_fd, _sockets, _poller
    if SOCKETS:
        r_sock, w_sock = socket.socketpair()
        r_sock.setblocking(False)
        w_sock.setblocking(False)
        _sockets = (r_sock, w_sock)
        _read_fd, _write_fd = r_sock.fileno(), w_sock.fileno()
        return
    r, w = os.pipe()
    os.set_blocking(r, False)
    os.set_blocking(w, False)
    _poller = select.poll()
    _poller.register(r, select.POLLIN)
    _read_fd, _write_fd = r, w


def _pass_on(fd: int, data: bytes) -> None:
    """Writes data to someone else's wakeup fd: on Windows that is a socket's handle,
    borrowed for the send (detached after, so it stays open)."""
    try:
        if not SOCKETS:
            os.write(fd, data)
            return
        borrowed = socket.socket(fileno=fd)
        try:
            borrowed.send(data)
        finally:
            borrowed.detach()
    except OSError:
        pass


def _readable() -> bool:
    if _poller is not None:
        return bool(_poller.poll(0))
    return bool(select.select([_read_fd], [], [], 0)[0])


def with_interrupt_fd(args_json: bytes, fd: int) -> bytes:
    """args_json (a JSON object, compact) with "interrupt_fd" added."""
    if args_json == b"{}":
        return b'{"interrupt_fd":%d}' % fd
    return b'%s,"interrupt_fd":%d}' % (args_json[:-1], fd)


def end_call() -> None:
    """Run the handler of a Ctrl-C that came during the call: KeyboardInterrupt."""
    _check_signals()
