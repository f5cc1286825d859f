"""The native client handle both flavours own: creation, encoding of calls, close()."""

from __future__ import annotations

import ctypes
import json
import threading
from typing import Any, Dict, Optional

from . import _lib, _runtime
from ._config import CABundle, build_config
from .errors import ClientClosed, InvalidInput, from_envelope
from .types import Ref


# One encoder for every call: json.dumps with options builds a new one each time.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class NativeClient(_runtime.ClosesWhenCollected):
    """Owns one cx_handle. Safe to share between threads: the library guards handles."""

    def __init__(self, base_url: str, default_workspace_id: Optional[Ref], token: str, *,
                 timeout: Optional[float] = None, max_retries: Optional[int] = None,
                 retry_wait_min: Optional[float] = None, retry_wait_max: Optional[float] = None,
                 max_retry_after: Optional[float] = None, ca_bundle: Optional[CABundle] = None,
                 user_agent_suffix: Optional[str] = None,
                 default_timezone: Optional[str] = None) -> None:
        self._handle = 0
        self._lock = threading.Lock()
        config = build_config(base_url, default_workspace_id, token, timeout=timeout,
                              max_retries=max_retries, retry_wait_min=retry_wait_min,
                              retry_wait_max=retry_wait_max, max_retry_after=max_retry_after,
                              ca_bundle=ca_bundle, user_agent_suffix=user_agent_suffix,
                              default_timezone=default_timezone)
        _runtime.check_fork()
        error = ctypes.c_void_p()
        handle = _runtime.lib.cx_client_new(config, ctypes.byref(error))
        if not handle:
            envelope = json.loads(_lib.take_string(_runtime.lib, error.value) or "{}")
            raise from_envelope(envelope.get("error") or {"code": "invalid_config",
                                                          "message": "cx_client_new failed"})
        _lib.take_string(_runtime.lib, error.value)  # normally NULL; free it if not
        self._handle = handle
        # What the official client exposes as attributes (never the token).
        self.url = base_url.strip().strip("/")
        self.workspace_id = default_workspace_id

    def _live_handle(self) -> int:
        handle = self._handle
        if not handle:
            _runtime.check_fork()
            raise ClientClosed("this CxReports client is closed; create a new one",
                               code="closed")
        return handle

    @staticmethod
    def _encode(method: str, args: Dict[str, Any]) -> bytes:
        if not args:
            return b"{}"
        try:
            return _ENCODER.encode(args).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise InvalidInput(
                f"{method}: the arguments cannot be sent as JSON ({exc}); use dicts with "
                "string keys, lists, str, int, finite float, bool and None",
                code="invalid_input", detail=None) from exc

    def close(self) -> None:
        """Free the native client; calls still running end with Canceled. Idempotent."""
        with self._lock:
            handle, self._handle = self._handle, 0
        _runtime.free_client(handle)

    @property
    def closed(self) -> bool:
        return not self._handle

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<{type(self).__name__} {self.url!r} workspace={self.workspace_id!r} {state}>"
