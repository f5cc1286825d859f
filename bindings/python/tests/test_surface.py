"""The public surface matches the official client 0.0.5: same methods, same positional
parameters in the same order with the same defaults; additions are keyword-only."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from cxreports import AsyncCxReportClientV1, CxReportClientV1

from conftest import official_client

Official = official_client()  # cxreports-api-client==0.0.5

PUBLIC = sorted(n for n, v in vars(Official).items() if callable(v) and not n.startswith("_"))


def positional(fn):
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def keyword_only(fn):
    return {p.name: p.default for p in inspect.signature(fn).parameters.values() if p.kind == p.KEYWORD_ONLY}


def test_official_methods_are_all_known():
    assert len(PUBLIC) == 19


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("cls", [CxReportClientV1, AsyncCxReportClientV1])
def test_same_signature(cls, name):
    ours, theirs = getattr(cls, name), getattr(Official, name)
    assert positional(ours) == positional(theirs)
    extra = keyword_only(ours)
    for key, default in keyword_only(theirs).items():
        assert extra.pop(key) == default
    assert "timeout" in extra


def test_constructor_positional_order():
    assert positional(CxReportClientV1.__init__) == positional(Official.__init__)


def test_async_methods_return_awaitables(fresh):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, 1, fresh.token) as c:
            pending = c.get_workspaces()
            assert inspect.isawaitable(pending)
            assert await pending

    asyncio.run(main())


def test_async_stub_is_current():
    import subprocess
    import sys

    from conftest import BINDING, subprocess_env

    out = subprocess.run([sys.executable, str(BINDING / "tools" / "gen_aio_stub.py"), "--check"],
                         env=subprocess_env())
    assert out.returncode == 0, "cxreports/aio.pyi is stale: run tools/gen_aio_stub.py"
