"""render_batch: many renders with bounded concurrency, results as they finish, through
the sync client (main thread and worker thread) and the async client; 429s pause the
batch, a rerun skips, bad items fail alone, leaving early leaves no partial file."""

from __future__ import annotations

import asyncio
import textwrap
import threading

import pytest

from cxreports import AsyncCxReportClientV1, BatchProgress, CxReportClientV1, InvalidInput

from conftest import pdf_text, python_child
from test_errors import wait_until

PDF = "/api/v1/ws/1/reports/160/pdf"


def items(n, **extra):
    return [dict({"report": 160, "output": f"r/{i:02d}.pdf", "params": {"invoice": f"INV-{i:04d}"}}, **extra)
            for i in range(n)]


def run_sync(fresh, out_dir, batch, **kw):
    with CxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
        return list(c.render_batch(batch, out_dir, **kw))


def run_async(fresh, out_dir, batch, **kw):
    async def main():
        async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            return [r async for r in c.render_batch(batch, out_dir, **kw)]
    return asyncio.run(main())


def run_worker(fresh, out_dir, batch, **kw):
    box = {}
    t = threading.Thread(target=lambda: box.update(r=run_sync(fresh, out_dir, batch, **kw)))
    t.start()
    t.join(120)
    return box["r"]


RUNNERS = {"main": run_sync, "worker": run_worker, "asyncio": run_async}


@pytest.mark.parametrize("route", list(RUNNERS))
def test_batch_through_throttling(fresh, tmp_path, route):
    fresh.inject("POST", PDF, *([{"status": 429, "retry_after": "0"}] * 10))
    seen = []
    results = RUNNERS[route](fresh, tmp_path, items(40), concurrency=8, progress=seen.append)
    assert sorted(r["index"] for r in results) == list(range(40))
    for r in results:
        assert r["status"] == "ok" and r["error"] is None, r
        data = (tmp_path / "r" / f"{r['index']:02d}.pdf").read_bytes()
        assert r["bytes"] == len(data)
        assert f"INV-{r['index']:04d}" in pdf_text(data), "each file carries its own params"
    assert fresh.stats()["peak_concurrency"] <= 8
    assert isinstance(seen[-1], BatchProgress) and (seen[-1].ok, seen[-1].total, seen[-1].throttled) == (40, 40, 10)

    fresh.reset()
    again = RUNNERS[route](fresh, tmp_path, items(40), concurrency=8)
    assert {r["status"] for r in again} == {"skipped"}
    assert fresh.api_requests() == [], "a rerun renders nothing"


def test_bad_items_fail_alone(fresh, tmp_path):
    batch = items(2) + [{"report": 160, "output": "../escape.pdf"}, {"output": "x.pdf"}, {"report": 999999, "output": "nf.pdf"}]
    results = {r["index"]: r for r in run_sync(fresh, tmp_path, batch)}
    assert [results[i]["status"] for i in range(5)] == ["ok", "ok", "failed", "failed", "failed"]
    assert isinstance(results[2]["error"], InvalidInput) and "stays under" in str(results[2]["error"])
    assert results[4]["error"].code == "not_found"
    with pytest.raises(InvalidInput):
        run_sync(fresh, tmp_path, items(1), concurrency=0)


@pytest.mark.parametrize("route", ["sync", "asyncio"])
def test_leaving_early_cancels_and_leaves_no_partial_file(fresh, tmp_path, route):
    batch = [{"report": 160, "output": "fast.pdf"}] + [
        {"report": 160, "output": f"slow-{i}.pdf", "params": {"fakeDelayMs": 60000}} for i in range(6)]
    if route == "sync":
        with CxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
            for r in c.render_batch(batch, tmp_path, concurrency=3):
                assert r["index"] == 0
                break
    else:
        async def main():
            async with AsyncCxReportClientV1(fresh.url, fresh.workspace_id, fresh.token) as c:
                gen = c.render_batch(batch, tmp_path, concurrency=3)
                async for r in gen:
                    assert r["index"] == 0
                    break
                await gen.aclose()
        asyncio.run(main())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fast.pdf"]
    wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)


CTRL_C = textwrap.dedent("""
    import sys
    from cxreports import CxReportClientV1
    c = CxReportClientV1(sys.argv[1], 1, sys.argv[2])
    batch = [{"report": 160, "output": f"s{i}.pdf", "params": {"fakeDelayMs": 60000}} for i in range(8)]
    print("started", flush=True)
    for r in c.render_batch(batch, sys.argv[3], concurrency=4):
        print("result", r, flush=True)
""")


def test_ctrl_c_stops_the_batch_cleanly(fresh, tmp_path):
    import os
    import signal
    with python_child(CTRL_C, fresh.url, fresh.token, str(tmp_path), sigint=True) as child:
        assert child.stdout.readline().strip() == "started"
        wait_until(lambda: fresh.stats()["in_flight"] == 4)
        os.kill(child.pid, signal.SIGINT)
        out, err = child.communicate(timeout=15)
    assert child.returncode != 0 and err.rstrip().endswith("KeyboardInterrupt"), err
    assert "result" not in out
    assert list(tmp_path.iterdir()) == [], "no partial or temporary file"
    wait_until(lambda: fresh.stats()["in_flight"] == 0, limit=10)
