"""The three surfaces cannot drift: the Python clients against the library's cx_methods().

cx_methods() is read through the binding's own loaded library (cxreports._runtime.lib, the
one every call goes through). For every method it lists, CxReportClientV1 and
AsyncCxReportClientV1 have a method of the same (snake_case) name, and the parameters follow
these rules:

- The positional-or-keyword parameters (after self) are the leading arguments of the C
  method, same names, same order: a prefix of cx_methods()' argument list. That prefix is
  what the official client 0.0.5 takes positionally (test_surface.py checks that side).
- Every other C argument is a keyword-only parameter of the same name. ``timeout`` is
  always keyword-only, never positional.
- A positional parameter has no default exactly when the C argument is required, except
  OPTIONAL_REQUIRED. Required C arguments are never keyword-only.
- NOT_EXPOSED C arguments are no parameter at all.
- Binding-only keyword-only parameters (no C argument) are only those of BINDING_KEYWORDS:
  ``progress`` exactly where cx_methods() says progress: true, ``reportId`` on get_pdf only.
  No *args or **kwargs (they would hide any drift).

Nothing exists on the clients that cx_methods() lacks: every public attribute of either
class is a cx_methods() method or listed in HELPERS with a reason.

The methods really send what their signatures promise: each is called with a distinct value
per parameter on a client whose ``_invoke`` is replaced by a recorder, and must hand every
value to the right C method under the C argument's name (no server involved).

AsyncCxReportClientV1 mirrors CxReportClientV1: same parameters (names, kinds, defaults),
each method returning an awaitable; its stub cxreports/aio.pyi declares the same methods
with the same parameters.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import warnings
from pathlib import Path
from typing import Any, Dict, List

import pytest

import cxreports
from cxreports import AsyncCxReportClientV1, CxReportClientV1, _lib, _runtime

DOC = json.loads(_lib.take_string(_runtime.lib, _runtime.lib.cx_methods()))
METHODS: Dict[str, Dict[str, Any]] = {m["name"]: m for m in DOC["methods"]}
NAMES = sorted(METHODS)

# C arguments no Python method takes, with the reason.
NOT_EXPOSED = {
    "interrupt_fd": "set by the binding itself: a sync call on the main thread passes the read end "
                    "of its signal-wakeup pipe (cxreports._wakeup) so Ctrl-C interrupts it; the async "
                    "client cancels through cx_cancel",
}

# Keyword-only parameters that are no C argument, with the reason and where they belong.
BINDING_KEYWORDS = {
    "progress": ("callback for the Progress events of a call (CX_EVENT_PROGRESS); only where cx_methods() "
                 "says progress: true",
                 lambda name: METHODS[name].get("progress", False)),
    "reportId": ("the official client 0.0.5's deprecated spelling of report_id (DeprecationWarning)",
                 lambda name: name == "get_pdf"),
}

# Methods whose results stream: an iterator (the async client: an async iterator)
# instead of one value, with the reason.
STREAMS = {
    "render_batch": "yields each item's result as it finishes (the call's \"item\" progress events)",
}

# Positional parameters with a default although the C argument is required, with the reason.
OPTIONAL_REQUIRED = {
    ("get_pdf", "report_id"): "may come as the deprecated reportId= instead; get_pdf raises "
                              "TypeError when neither is given",
}

# Public (and context-manager) members of the clients that are no C method, with the reason.
HELPERS = {
    CxReportClientV1: {
        "close": "frees the native client (cx_client_free)",
        "closed": "property: whether close() has run",
        "__enter__": "context manager: returns the client",
        "__exit__": "context manager: close()",
        "open_pdf": "get_pdf as a file-like ReportStream (cx_stream_open); same arguments but progress",
        "open_post_pdf": "post_pdf as a file-like ReportStream (cx_stream_open); same arguments but progress",
        "open_export_content": "get_export_content as a file-like ReportStream (cx_stream_open); "
                               "same arguments but progress",
    },
    AsyncCxReportClientV1: {
        "close": "frees the native client (cx_client_free); synchronous, it never waits",
        "closed": "property: whether close() has run",
        "aclose": "awaitable close(), for contextlib.aclosing and async code",
        "__aenter__": "async context manager: returns the client",
        "__aexit__": "async context manager: close()",
        "open_pdf": "get_pdf as an AsyncReportStream (cx_inbox_stream_open, reads through the loop's inbox); same arguments "
                    "but progress",
        "open_post_pdf": "post_pdf as an AsyncReportStream; same arguments but progress",
        "open_export_content": "get_export_content as an AsyncReportStream; same arguments but progress",
    },
}

CLIENTS = [CxReportClientV1, AsyncCxReportClientV1]
P = inspect.Parameter


def c_args(name: str) -> List[str]:
    return [a["name"] for a in METHODS[name].get("args") or []]


def params(fn) -> List[inspect.Parameter]:
    return list(inspect.signature(fn).parameters.values())[1:]  # without self


def test_cx_methods_is_read_from_the_loaded_library():
    assert DOC["abi"] == _lib.ABI_VERSION
    assert len(METHODS) >= 20
    assert all(c_args(n) for n in NAMES)  # at least timeout and interrupt_fd


@pytest.mark.parametrize("cls", CLIENTS, ids=lambda c: c.__name__)
def test_same_methods_nothing_else(cls):
    public = {n for n in dir(cls) if not n.startswith("_")}
    helpers = HELPERS[cls]
    missing = sorted(set(NAMES) - public)
    extra = sorted(public - set(NAMES) - set(helpers))
    assert (missing, extra) == ([], []), (
        f"{cls.__name__} and cx_methods() differ: missing {missing}, not in cx_methods() {extra} "
        "(a binding-only helper needs an entry with a reason in HELPERS)")
    for helper in helpers:
        assert hasattr(cls, helper), f"HELPERS lists {cls.__name__}.{helper}, which no longer exists"
    for name in NAMES:
        assert callable(getattr(cls, name)), name


@pytest.mark.parametrize("name", NAMES)
def test_arguments_match(name):
    method = METHODS[name]
    wanted = c_args(name)
    required = {a["name"] for a in method["args"] if a.get("required")}
    ps = params(getattr(CxReportClientV1, name))
    kinds = {p.name: p.kind for p in ps}
    assert all(k in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY) for k in kinds.values()), (
        f"{name}: only positional-or-keyword and keyword-only parameters, got {kinds}")

    positional = [p for p in ps if p.kind == P.POSITIONAL_OR_KEYWORD]
    assert [p.name for p in positional] == wanted[:len(positional)], (
        f"{name}: positional parameters {[p.name for p in positional]} are not the leading "
        f"arguments of cx_methods() {wanted}")
    assert "timeout" not in [p.name for p in positional], f"{name}: timeout must be keyword-only"
    for p in positional:
        needs_value = p.default is P.empty
        if (name, p.name) in OPTIONAL_REQUIRED:
            assert not needs_value and p.name in required
        else:
            assert needs_value == (p.name in required), (
                f"{name}: {p.name} is {'required' if needs_value else 'optional'} in Python, "
                f"{'required' if p.name in required else 'optional'} in cx_methods()")

    keyword = {p.name for p in ps if p.kind == P.KEYWORD_ONLY}
    rest = [a for a in wanted[len(positional):] if a not in NOT_EXPOSED]
    missing = [a for a in rest if a not in keyword]
    assert not missing, f"{name}: the C arguments {missing} are no parameter of the Python method"
    assert not required & set(rest), f"{name}: required arguments {required & set(rest)} must be positional"
    for a in NOT_EXPOSED:
        assert a not in kinds, f"{name}: {a} is set by the binding, not a parameter"
    for extra in sorted(keyword - set(wanted)):
        assert extra in BINDING_KEYWORDS, (
            f"{name}: keyword {extra}= is not an argument of cx_methods() nor a documented "
            "binding keyword")
        assert BINDING_KEYWORDS[extra][1](name), f"{name} must not take {extra}= ({BINDING_KEYWORDS[extra][0]})"
    assert ("progress" in keyword) == bool(method.get("progress")), (
        f"{name}: progress= iff cx_methods() says progress: {method.get('progress')}")


@pytest.mark.parametrize("name", NAMES)
def test_async_mirrors_sync(name):
    sync_fn, async_fn = getattr(CxReportClientV1, name), getattr(AsyncCxReportClientV1, name)
    shape = lambda fn: [(p.name, p.kind, p.default) for p in params(fn)]  # noqa: E731
    assert shape(async_fn) == shape(sync_fn)


def _stub_methods() -> Dict[str, List[tuple]]:
    tree = ast.parse((Path(cxreports.__file__).parent / "aio.pyi").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "AsyncCxReportClientV1")
    out = {}
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            if node.name in METHODS:
                assert not a.vararg and not a.kwarg and not a.posonlyargs, f"aio.pyi: {node.name}"
            pos = [(x.arg, P.POSITIONAL_OR_KEYWORD) for x in a.args[1:]]
            kw = [(x.arg, P.KEYWORD_ONLY) for x in a.kwonlyargs]
            defaults = [False] * (len(a.args) - len(a.defaults)) + [True] * len(a.defaults)
            kw_defaults = [d is not None for d in a.kw_defaults]
            out[node.name] = [(n, k, d) for (n, k), d in zip(pos + kw, defaults[1:] + kw_defaults)]
    return out


def test_async_stub_declares_the_same_methods():
    stub = _stub_methods()
    streams = {n for n in HELPERS[AsyncCxReportClientV1] if n.startswith("open_")}
    expected = set(NAMES) | {"aclose", "__aenter__", "__aexit__"} | streams
    assert set(stub) == expected, (sorted(set(stub) - expected), sorted(expected - set(stub)))
    for name in sorted(set(NAMES) | streams):
        runtime = [(p.name, p.kind, p.default is not P.empty)
                   for p in params(getattr(AsyncCxReportClientV1, name))]
        assert stub[name] == runtime, f"aio.pyi: {name}"


# --- the methods send what their signatures promise -------------------------------------------

def _value(arg: str) -> Any:
    return {"timeout": 1.5, "poll_interval": 2.5, "max_interval": 3.5}.get(arg, f"v-{arg}")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("cls", CLIENTS, ids=lambda c: c.__name__)
def test_each_argument_reaches_the_library(cls, name, monkeypatch):
    """The JSON each method hands to the library (the sync client's _runtime.call_sync or,
    for streams, call_stream; the async client's _run or _stream) carries every value under
    its C name."""
    calls = []

    def call_sync(handle, method, payload, progress):
        calls.append((method, json.loads(payload), progress is not None))
        return None, b""

    def call_stream(handle, method, payload, progress):
        calls.append((method, json.loads(payload), progress is not None))
        yield from ()

    async def run(method, payload, kind, progress):
        calls.append((method, json.loads(payload), progress is not None))

    async def stream(method, payload, progress):
        calls.append((method, json.loads(payload), progress is not None))
        for item in ():
            yield item

    monkeypatch.setattr(_runtime, "call_sync", call_sync)
    monkeypatch.setattr(_runtime, "call_stream", call_stream)
    client = cls("http://127.0.0.1:9", 1, "parity-token")
    client._run = run  # only the async client has these two
    client._stream = stream
    try:
        ps = params(getattr(cls, name))
        positional = [_value(p.name) for p in ps if p.kind == P.POSITIONAL_OR_KEYWORD]
        keywords = {p.name: _value(p.name) for p in ps
                    if p.kind == P.KEYWORD_ONLY and p.name not in BINDING_KEYWORDS}
        if any(p.name == "progress" for p in ps):
            keywords["progress"] = lambda event: None
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no deprecated spelling is used here
            result = getattr(client, name)(*positional, **keywords)
            if STREAMS.get(name) and cls is AsyncCxReportClientV1:
                assert inspect.isasyncgen(result), f"{name} of the async client is no async iterator"

                async def drain():
                    return [r async for r in result]
                asyncio.run(drain())
            elif STREAMS.get(name):
                assert list(result) == []
            elif cls is AsyncCxReportClientV1:
                assert inspect.isawaitable(result), f"{name} of the async client returns no awaitable"
                asyncio.run(result)
        want = {a: _value(a) for a in c_args(name) if a not in NOT_EXPOSED}
        assert calls == [(name, want, bool(METHODS[name].get("progress")))]
    finally:
        client.close()
