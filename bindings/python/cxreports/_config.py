"""Client options -> the config JSON of cx_client_new."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional, Union

from .errors import InvalidConfig
from .types import Ref

__version__ = "0.1.0"

CABundle = Union[str, bytes, "os.PathLike[str]"]

#: The library's names (config keys, arguments, methods) that this package spells
#: differently; the library's messages then use ours.
NAMES = {"ca_bundle_file": "ca_bundle", "ca_bundle_pem": "ca_bundle"}


def build_config(base_url: str, default_workspace_id: Optional[Ref], token: str, *,
                 timeout: Optional[float], max_retries: Optional[int],
                 retry_wait_min: Optional[float], retry_wait_max: Optional[float],
                 max_retry_after: Optional[float], ca_bundle: Optional[CABundle],
                 user_agent_suffix: Optional[str], default_timezone: Optional[str]) -> bytes:
    """The config object; the library validates it (InvalidConfig on a bad value)."""
    if not isinstance(base_url, str):
        raise InvalidConfig(f"base_url must be a string, got {type(base_url).__name__}",
                            code="invalid_config")
    if not isinstance(token, str):
        raise InvalidConfig("token must be a string (the personal access token)", code="invalid_config")
    agent = f"cxreports-python/{__version__}"
    if user_agent_suffix:
        agent = f"{agent} {user_agent_suffix}"
    config: Dict[str, Any] = {
        "base_url": base_url,
        "default_workspace_id": default_workspace_id,
        "token": token,
        "timeout": timeout,
        "max_retries": max_retries,
        "retry_wait_min": retry_wait_min,
        "retry_wait_max": retry_wait_max,
        "max_retry_after": max_retry_after,
        "user_agent_suffix": agent,
        "default_timezone": default_timezone,
    }
    config.update(_ca_bundle(ca_bundle))
    config = {k: v for k, v in config.items() if v is not None}
    # Messages name settings by the config keys, which are this package's own names
    # except for the CA bundle (one option here, a file or PEM key in the config).
    config["names"] = NAMES
    try:
        return json.dumps(config, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise InvalidConfig(f"client options cannot be encoded: {exc}", code="invalid_config") from exc


def _ca_bundle(ca_bundle: Optional[CABundle]) -> Dict[str, str]:
    """A CA bundle is PEM text (str or bytes starting with -----BEGIN) or a file path."""
    if ca_bundle is None:
        return {}
    if isinstance(ca_bundle, bytes):
        if ca_bundle.lstrip().startswith(b"-----BEGIN"):
            return {"ca_bundle_pem": ca_bundle.decode("ascii", "replace")}
        return {"ca_bundle_file": os.fsdecode(ca_bundle)}
    if isinstance(ca_bundle, str) and ca_bundle.lstrip().startswith("-----BEGIN"):
        return {"ca_bundle_pem": ca_bundle}
    try:
        return {"ca_bundle_file": os.fsdecode(os.fspath(ca_bundle))}
    except TypeError as exc:
        raise InvalidConfig("ca_bundle must be a path or PEM text", code="invalid_config") from exc
