"""AsyncCxReportClientV1: the same calls as awaitables that never block the event loop.

A call starts in Go at once; its progress events and its answer are queued in the
running loop's inbox (_inbox.py), whose descriptor the loop watches (loop.add_reader),
and are taken and handed over on the loop's thread: nothing of the library calls into
Python. Cancelling the awaiting task cancels the Go call (cx_cancel), and CancelledError
reaches the caller once the library has reported back: the call has stopped by then and
cleaned up after itself (a save_* has removed its temporary file). Closing the loop with
calls still running closes its inbox, which cancels them.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Optional, Tuple

from . import _runtime
from ._handle import NativeClient
from ._methods import ClientMethods, StreamMethods
from ._stream import AsyncReportStream, open_stream_async
from .types import BatchProgress, Progress, ProgressCallback


async def _settled(future: "asyncio.Future[Any]") -> None:
    """Waits until the library has answered a call it was asked to cancel.

    It stops the call at once, so this is short; a second cancellation of the task
    meanwhile does not end the wait (the caller gets its CancelledError right after).
    """
    while not future.done():
        try:
            await asyncio.shield(future)
        except asyncio.CancelledError:
            continue


class AsyncCxReportClientV1(NativeClient, ClientMethods, StreamMethods):
    """Async flavour of CxReportClientV1: same constructor, same methods, each awaitable.

    Progress callbacks run on the event loop's thread. Use ``async with`` or close().
    """

    def _invoke(self, method: str, args: Dict[str, Any], kind: str = "json",
                progress: Optional[ProgressCallback] = None) -> Any:
        payload = self._encode(method, args)  # bad input fails at the call site
        if kind == "stream":
            return self._stream(method, payload, progress)
        return self._run(method, payload, kind, progress)

    async def _stream(self, method: str, payload: bytes, progress: Optional[Any]) -> AsyncIterator[Dict[str, Any]]:
        """An async generator over a streaming call's "item" events (render_batch); the
        call starts at the first __anext__. Leaving early cancels it and waits for its
        answer, so what it was writing is gone by then."""
        events: "asyncio.Queue[Tuple[str, Any, Any]]" = asyncio.Queue()
        request_id = _runtime.start_async(
            asyncio.get_running_loop(), self._live_handle(), method, payload,
            lambda envelope, data: events.put_nowait(("done", envelope, data)),
            lambda event: events.put_nowait(("event", event, None)))
        answer = None
        try:
            while answer is None:
                kind, value, data = await events.get()
                if kind == "done":
                    answer = (value, data)
                elif value.get("stage") == "item":
                    yield _runtime.batch_result(value)
                elif progress is not None:
                    progress(BatchProgress.from_event(value))
        finally:
            if answer is None:
                _runtime.cancel(request_id)
                try:
                    while (await asyncio.wait_for(events.get(), 10.0))[0] != "done":
                        pass
                except (asyncio.TimeoutError, asyncio.CancelledError):
                    pass
        _runtime.decode(*answer)

    async def _run(self, method: str, payload: bytes, kind: str,
                   progress: Optional[ProgressCallback]) -> Any:
        loop = asyncio.get_running_loop()
        future, settle = _runtime.inbox_future(loop)
        failed: list = []  # the progress callback's exception, which ends the call
        report: Optional[Callable[[Dict[str, Any]], None]] = None
        if progress is not None:
            def on_event(event: Dict[str, Any]) -> None:
                if future.done() or failed:
                    return
                try:
                    progress(Progress.from_event(event))
                except Exception as exc:  # the callback's failure ends the call
                    failed.append(exc)
                    _runtime.cancel(request_id)

            report = on_event

        # The frame keeps no reference to the inbox: the loop alone owns it (_inbox.py).
        request_id = _runtime.start_async(loop, self._live_handle(), method, payload, settle, report)
        try:
            # shield: cancelling the task must not cancel `future`, which still has to
            # receive the library's answer.
            envelope, blob = await asyncio.shield(future)
        except asyncio.CancelledError:
            _runtime.cancel(request_id)
            await _settled(future)
            raise
        if failed:
            raise failed[0]
        data, blob = _runtime.decode(envelope, blob)
        if kind == "bytes":
            return blob if blob is not None else b""
        if kind == "none":
            return None
        return data

    def _open(self, method: str, args: Dict[str, Any]) -> "Awaitable[AsyncReportStream]":
        payload = self._encode(method, args)  # bad input fails at the call site
        return open_stream_async(self._live_handle(), method, payload)

    async def __aenter__(self) -> "AsyncCxReportClientV1":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.close()

    async def aclose(self) -> None:
        self.close()
