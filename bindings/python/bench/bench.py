"""Side-by-side benchmark of this binding against the official client 0.0.5, in one run
against the fake server: latency of a small JSON call, throughput of 8 threads, and wall
time + peak RSS of fetching a 200 MB PDF to a file (each in its own subprocess, so one
measurement cannot inflate the other's peak).

    python bench.py --fake build/cxfake --out build/bench-python.md
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BIG = 200_000_000

FETCH = r"""
import resource, sys, time
url, token, which, path = sys.argv[1:5]
size = int(sys.argv[5])
t0 = time.perf_counter()
if which == "ours":
    from cxreports import CxReportClientV1
    with CxReportClientV1(url, 1, token) as c:
        c.save_pdf(160, path, {"params": {"fakeSizeBytes": size}})
else:
    from v1 import CxReportClientV1
    pdf = CxReportClientV1(url, 1, token).get_pdf(160, {"params": {"fakeSizeBytes": size}})
    with open(path, "wb") as f:
        f.write(pdf)
    del pdf
wall = time.perf_counter() - t0
import os
print(wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, os.path.getsize(path))
"""


def start_fake(binary: str):
    proc = subprocess.Popen([binary, "-port", "0"], stdout=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    return proc, info


def latency(client, seconds: float) -> float:
    """Seconds per get_workspaces call, single thread."""
    for _ in range(20):
        client.get_workspaces()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        client.get_workspaces()
        n += 1
    return (time.perf_counter() - t0) / n


def throughput(client, threads: int, seconds: float) -> float:
    """Calls per second of get_workspaces from several threads sharing one client."""
    counts = [0] * threads
    stop = threading.Event()

    def worker(i: int) -> None:
        while not stop.is_set():
            client.get_workspaces()
            counts[i] += 1

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    time.sleep(seconds)
    stop.set()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - t0)


def fetch_big(url: str, token: str, which: str, size: int, tmp: Path):
    target = tmp / f"big-{which}.pdf"
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    out = subprocess.run([sys.executable, "-c", FETCH, url, token, which, str(target), str(size)],
                         capture_output=True, text=True, env=env, check=True)
    wall, rss_kb, written = out.stdout.split()
    target.unlink()
    return float(wall), int(rss_kb) / 1024, int(written)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fake", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--size", type=int, default=BIG)
    args = ap.parse_args()

    from cxreports import CxReportClientV1 as Ours
    from v1 import CxReportClientV1 as Official

    proc, info = start_fake(args.fake)
    try:
        url, token = info["url"], info["token"]
        ours, official = Ours(url, 1, token), Official(url, 1, token)
        lat_ours, lat_off = latency(ours, args.seconds), latency(official, args.seconds)
        # Off the main thread the binding makes one blocking call (no Ctrl-C handoff).
        lat_worker = []
        worker = threading.Thread(target=lambda: lat_worker.append(latency(ours, args.seconds)))
        worker.start()
        worker.join()
        thr_ours, thr_off = throughput(ours, 8, args.seconds), throughput(official, 8, args.seconds)
        tmp = Path(args.out).resolve().parent
        big_ours = fetch_big(url, token, "ours", args.size, tmp)
        big_off = fetch_big(url, token, "official", args.size, tmp)
        ours.close()
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait()

    mb = args.size / 1e6
    rows = [
        ("get_workspaces latency, main thread", f"{lat_ours * 1e6:.0f} µs", f"{lat_off * 1e6:.0f} µs",
         f"{lat_off / lat_ours:.1f}x faster"),
        ("get_workspaces latency, 1 worker thread", f"{lat_worker[0] * 1e6:.0f} µs",
         f"{lat_off * 1e6:.0f} µs", f"{lat_off / lat_worker[0]:.1f}x faster"),
        ("get_workspaces throughput, 8 threads", f"{thr_ours:.0f} calls/s", f"{thr_off:.0f} calls/s",
         f"{thr_ours / thr_off:.1f}x faster"),
        (f"{mb:.0f} MB PDF to a file: wall time", f"{big_ours[0]:.2f} s", f"{big_off[0]:.2f} s",
         f"{big_off[0] / big_ours[0]:.1f}x faster"),
        (f"{mb:.0f} MB PDF to a file: peak RSS", f"{big_ours[1]:.0f} MB", f"{big_off[1]:.0f} MB",
         f"{big_off[1] / big_ours[1]:.1f}x less"),
    ]
    lines = [
        "| Python benchmark (vs cxreports-api-client 0.0.5, against cxfake) | cxreports | official | ratio |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        f"Targets: >=5x single-thread, >=10x with 8 threads, <64 MB peak RSS (ours: "
        f"{big_ours[1]:.0f} MB). Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
