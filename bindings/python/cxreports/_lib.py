"""Loading the library (libcxreports.so; cxreports.dll on Windows) and declaring the C ABI (docs/contract.md, "C ABI").

Every char*/uint8_t* the library hands out is owned by us and must go back through
cx_free, so every such return, out-parameter or callback argument is declared c_void_p
(a c_char_p return would convert to bytes and lose the pointer, i.e. leak it).

Only what the binding calls is declared. Answers of calls that do not block come back
through inboxes (_inbox.py), never through cx_call_async's callbacks; the one callback
left is the log callback of cx_set_log_callback.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from ctypes import POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint64, c_void_p
from typing import Callable

#: The ABI version this binding was written against (cx_abi_version()).
ABI_VERSION = 1

LOG_FN = ctypes.CFUNCTYPE(None, c_int, c_void_p, c_void_p)


class Event(ctypes.Structure):
    """struct cx_event, filled by cx_inbox_next; its text and data are then ours."""

    _fields_ = [("kind", c_int), ("level", c_int), ("request_id", c_uint64),
                ("text", c_void_p), ("data", c_void_p), ("len", c_size_t)]


class OwnedPtr(c_void_p):
    """A char* the library returned, freed with cx_free when dropped unless taken.

    As the restype of cx_call_bytes it closes the one gap a try/finally cannot: a
    KeyboardInterrupt raised right after the foreign call returns, before the result
    reaches a variable. The dropped result then still frees itself.
    """

    free = None  # cx_free, set by _declare

    def take(self) -> str:
        """Copy the string into Python and free it (once)."""
        ptr, self.value = self.value, None
        return _copy_and_free(ptr, OwnedPtr.free).decode("utf-8", "replace")

    def __del__(self) -> None:
        ptr, self.value = self.value, None
        if ptr and OwnedPtr.free is not None:
            OwnedPtr.free(ptr)


def library_name() -> str:
    """The file name of the library a wheel for this platform carries: each wheel carries
    one, built for its platform and architecture (its tag says which)."""
    return "cxreports.dll" if sys.platform == "win32" else "libcxreports.so"


def library_path() -> str:
    """CXREPORTS_LIB when set, else the copy shipped inside the package."""
    env = os.environ.get("CXREPORTS_LIB")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), library_name())


def _cannot_load_hint() -> str:
    """What a load failure most likely means on this platform."""
    if sys.platform == "win32":
        return (f"The wheel must match this Python's architecture ({platform.machine()}: "
                "win_amd64 for AMD64, win_arm64 for ARM64), and Windows 8.1 or later is needed.")
    return "It needs a glibc-based Linux (musl/Alpine cannot load Go shared libraries)."


def _declare(lib: ctypes.CDLL) -> None:
    lib.cx_abi_version.argtypes = []
    lib.cx_abi_version.restype = c_int
    lib.cx_version.argtypes = []
    lib.cx_version.restype = c_void_p
    lib.cx_methods.argtypes = []
    lib.cx_methods.restype = c_void_p
    lib.cx_client_new.argtypes = [c_char_p, POINTER(c_void_p)]
    lib.cx_client_new.restype = c_uint64
    lib.cx_client_free.argtypes = [c_uint64]
    lib.cx_client_free.restype = c_void_p
    lib.cx_call_bytes.argtypes = [c_uint64, c_char_p, c_char_p, POINTER(c_void_p), POINTER(c_size_t)]
    lib.cx_call_bytes.restype = OwnedPtr
    lib.cx_cancel.argtypes = [c_uint64]
    lib.cx_cancel.restype = c_int
    lib.cx_set_log_callback.argtypes = [LOG_FN, c_int, c_void_p]
    lib.cx_set_log_callback.restype = None
    lib.cx_inbox_new.argtypes = [POINTER(c_int), POINTER(c_void_p)]
    lib.cx_inbox_new.restype = c_uint64
    lib.cx_inbox_call.argtypes = [c_uint64, c_uint64, c_char_p, c_char_p, c_int]
    lib.cx_inbox_call.restype = c_uint64
    lib.cx_inbox_next.argtypes = [c_uint64, POINTER(Event)]
    lib.cx_inbox_next.restype = c_int
    lib.cx_inbox_close.argtypes = [c_uint64]
    lib.cx_inbox_close.restype = None
    lib.cx_inbox_stream_open.argtypes = [c_uint64, c_uint64, c_char_p, c_char_p]
    lib.cx_inbox_stream_open.restype = c_uint64
    lib.cx_inbox_stream_read.argtypes = [c_uint64, c_uint64, c_size_t]
    lib.cx_inbox_stream_read.restype = c_uint64
    lib.cx_stream_open.argtypes = [c_uint64, c_char_p, c_char_p, POINTER(c_void_p)]
    lib.cx_stream_open.restype = c_uint64
    lib.cx_stream_read.argtypes = [c_uint64, c_void_p, c_size_t, POINTER(c_void_p)]
    lib.cx_stream_read.restype = c_int64
    lib.cx_stream_close.argtypes = [c_uint64]
    lib.cx_stream_close.restype = c_int
    lib.cx_free.argtypes = [c_void_p]
    lib.cx_free.restype = None
    OwnedPtr.free = lib.cx_free


def load() -> ctypes.CDLL:
    """Open the library once for the life of the process (a Go library cannot be unloaded)."""
    path = library_path()
    origin = "CXREPORTS_LIB" if os.environ.get("CXREPORTS_LIB") else "the cxreports package"
    if not os.path.exists(path):
        raise ImportError(
            f"cxreports: the native library {path} (from {origin}) does not exist. "
            "Install the cxreports wheel for your platform, or build it with "
            f"'make build-capi' and point CXREPORTS_LIB at the built {library_name()}."
        )
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise ImportError(
            f"cxreports: cannot load the native library {path} (from {origin}): {exc}. "
            + _cannot_load_hint()
        ) from exc
    try:
        # The version first: a library of another ABI may lack or change other symbols.
        lib.cx_abi_version.argtypes = []
        lib.cx_abi_version.restype = c_int
        got = lib.cx_abi_version()
        if got != ABI_VERSION:
            raise ImportError(
                f"cxreports: {path} speaks C ABI version {got}, but this Python package needs "
                f"version {ABI_VERSION}. Install matching versions of the package and the "
                "library (rebuild with 'make build-capi build-python', or unset CXREPORTS_LIB)."
            )
        _declare(lib)
    except AttributeError as exc:
        raise ImportError(
            f"cxreports: {path} is not a libcxreports build (missing symbol: {exc}). "
            f"Point CXREPORTS_LIB at the built {library_name()} or reinstall the wheel."
        ) from exc
    return lib


def _copy_and_free(ptr: int | None, free: Callable[[int], None], length: int = -1) -> bytes:
    """Copy a library-owned buffer (length -1: a C string) into Python, then free it
    with free (cx_free), also when the copy fails."""
    if not ptr:
        return b""
    try:
        return ctypes.string_at(ptr, length)
    finally:
        free(ptr)


def take_string(lib: ctypes.CDLL, ptr: int | None) -> str:
    """Copy a library-owned C string into Python and free it."""
    return _copy_and_free(ptr, lib.cx_free).decode("utf-8", "replace")


def take_bytes(lib: ctypes.CDLL, ptr: int | None, length: int) -> bytes:
    """Copy a library-owned buffer into Python and free it."""
    return _copy_and_free(ptr, lib.cx_free, length)
