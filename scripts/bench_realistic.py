"""make bench-realistic: every client side by side against build/cxfake under realistic
network conditions (TLS, 0/5/25 ms one-way latency, plus plain-HTTP loopback), one run.

    build/pyvenv/bin/python scripts/bench_realistic.py --fake build/cxfake --out build/bench-realistic.md

Clients: the official Python client 0.0.5, a hand-written requests.Session, our Python
binding, Node's built-in fetch, our Node binding, Java's java.net.http.HttpClient, our Java
binding, and curl -o for the 200 MB save. Each
cell (condition x workload x client) runs in its own subprocess, so its peak RSS and the
TCP connections the fake counts are that client's alone; the fake is reset before each.
Python cells run this same file as `... worker CLIENT WORKLOAD OUTFILE`; Node cells run
bindings/node/bench/realistic-worker.js; Java cells build/java-bench/run (make
build-java-bench: bindings/java/bench/RealisticWorker.java on Java 17 with dist's jar). Every loop has a fixed count, every subprocess
a timeout, and the fakes started here are stopped by pid, also on errors.

Conditions the fake cannot provide yet (no -tls / -latency in `cxfake -h`) are reported
as not run instead of failing, so the benchmark works before and after those flags land.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import select
import shutil
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List, Optional

TOP = Path(__file__).resolve().parent.parent
NODE_WORKER = TOP / "bindings" / "node" / "bench" / "realistic-worker.js"
JAVA_WORKER = TOP / "build" / "java-bench" / "run"

SMALL_CALLS = 100           # sequential get_workspaces
WORKERS, PER_WORKER = 8, 50  # concurrent get_workspaces
RENDERS = 20                # sequential get_pdf
RENDER_PARAMS = {"fakeSizeBytes": 200_000, "fakeDelayMs": 50}
BIG_PARAMS = {"fakeSizeBytes": 200_000_000}
CELL_TIMEOUT = 180          # seconds for one subprocess; a hung client fails its cell only
NOISE = 0.90                # "at least matches": within 10% counts (run-to-run noise ~±15%)
RSS_LIMIT_MB = 48
CURL_FACTOR = 1.25
OFFICIAL_FACTOR = 2.5
CA_ENV = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR")


@dataclass(frozen=True)
class Condition:
    key: str
    title: str
    tls: bool
    latency_ms: int


CONDITIONS = [
    Condition("plain", "plain HTTP, loopback", False, 0),
    Condition("tls0", "TLS, 0 ms", True, 0),
    Condition("tls5", "TLS, 5 ms", True, 5),
    Condition("tls25", "TLS, 25 ms", True, 25),
]
WORKLOADS = {
    "small": f"{SMALL_CALLS} sequential get_workspaces",
    "concurrent": f"{WORKERS} workers x {PER_WORKER} get_workspaces",
    "render": f"{RENDERS} sequential get_pdf, 200 KB, 50 ms render",
    "big": "200 MB PDF saved to a file",
}
# (key, label, runtime); runtime "py" runs this file, "node" the Node worker.
CLIENTS = [
    ("official", "Python: official client 0.0.5", "py"),
    ("session", "Python: requests.Session", "py"),
    ("ours-py", "Python: cxreports (ours)", "py"),
    ("fetch", "Node: built-in fetch", "node"),
    ("ours-node", "Node: cxreports (ours)", "node"),
    ("httpclient", "Java: java.net.http.HttpClient", "java"),
    ("ours-java", "Java: cxreports (ours)", "java"),
    ("curl", "curl -o (reference)", "curl"),
]
LABEL = {k: label for k, label, _ in CLIENTS}


def pdf_url(base: str, params: dict) -> str:
    """The URL get_pdf fetches: params as base64url of json.dumps, urlencoded, exactly as
    the official client 0.0.5 builds it (padding kept, '=' sent as %3D)."""
    encoded = base64.urlsafe_b64encode(json.dumps(params).encode()).decode()
    return f"{base}/api/v1/ws/1/reports/160/pdf?" + urllib.parse.urlencode({"params": encoded})


# ---------------------------------------------------------------- Python worker side

def official_client(base: str, token: str, ca: str):
    # The official client makes a bare requests.get per call (no Session): it trusts the
    # fake's CA only through REQUESTS_CA_BUNDLE, which the parent sets.
    from v1 import CxReportClientV1
    c = CxReportClientV1(base, 1, token)

    def save(params: dict, path: str) -> None:
        pdf = c.get_pdf(160, {"params": params})  # what its users must do: all in memory
        with open(path, "wb") as f:
            f.write(pdf)

    return SimpleNamespace(small=c.get_workspaces, pdf=lambda p: c.get_pdf(160, {"params": p}),
                           save=save, close=lambda: None)


def session_client(base: str, token: str, ca: str):
    import requests
    # One Session per thread: requests does not promise that a Session is thread-safe.
    local, sessions = threading.local(), []

    def session() -> "requests.Session":
        if not hasattr(local, "s"):
            local.s = requests.Session()
            local.s.headers["Authorization"] = f"Bearer {token}"
            local.s.verify = ca or True
            sessions.append(local.s)
        return local.s

    def small():
        r = session().get(f"{base}/api/v1/workspaces")
        r.raise_for_status()
        return r.json()

    def pdf(params: dict) -> bytes:
        r = session().get(pdf_url(base, params))
        r.raise_for_status()
        if "application/pdf" not in r.headers.get("Content-Type", ""):
            raise RuntimeError("not a PDF")
        return r.content

    def save(params: dict, path: str) -> None:
        with session().get(pdf_url(base, params), stream=True) as r:
            r.raise_for_status()
            with open(path, "wb") as f:
                for chunk in r.iter_content(1 << 20):
                    f.write(chunk)

    return SimpleNamespace(small=small, pdf=pdf, save=save,
                           close=lambda: [s.close() for s in sessions])


def ours_client(base: str, token: str, ca: str):
    from cxreports import CxReportClientV1
    c = CxReportClientV1(base, 1, token, ca_bundle=ca or None)
    return SimpleNamespace(small=c.get_workspaces, pdf=lambda p: c.get_pdf(160, {"params": p}),
                           save=lambda p, path: c.save_pdf(160, path, {"params": p}), close=c.close)


def worker(client: str, workload: str, out_file: str) -> int:
    import resource
    base, token, ca = os.environ["CXREPORTS_URL"], os.environ["CXREPORTS_TOKEN"], os.environ["CXREPORTS_CA"]
    params = json.loads(os.environ["BENCH_PARAMS"])
    c = {"official": official_client, "session": session_client, "ours-py": ours_client}[client](base, token, ca)
    result: Dict[str, object] = {"client": client, "workload": workload}
    # No warm-up: connection set-up (TCP, TLS) is part of what each workload costs.
    t0 = time.perf_counter()
    if workload == "small":
        for _ in range(SMALL_CALLS):
            c.small()
        result["calls"] = SMALL_CALLS
    elif workload == "concurrent":
        errors: List[BaseException] = []

        def loop() -> None:
            try:
                for _ in range(PER_WORKER):
                    c.small()
            except BaseException as exc:  # reported by the main thread below
                errors.append(exc)

        threads = [threading.Thread(target=loop) for _ in range(WORKERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        result["calls"] = WORKERS * PER_WORKER
    elif workload == "render":
        for _ in range(RENDERS):
            if len(c.pdf(params)) < params["fakeSizeBytes"]:
                raise RuntimeError("short PDF")
        result["calls"] = RENDERS
    elif workload == "big":
        c.save(params, out_file)
        result["calls"] = 1
        result["bytes"] = os.path.getsize(out_file)
        os.unlink(out_file)
    else:
        raise ValueError(workload)
    result["wall_s"] = time.perf_counter() - t0
    c.close()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps(result))
    return 0


# ---------------------------------------------------------------- orchestrator side

class Fake:
    """build/cxfake for one condition, stopped by its pid in close()."""

    def __init__(self, binary: str, cond: Condition, workdir: Path):
        args = [binary, "-port", "0"]
        self.ca_file = ""
        if cond.tls:
            self.ca_file = str(workdir / f"ca-{cond.key}.pem")
            args += ["-tls", "-ca-file", self.ca_file]
        if cond.latency_ms:
            args += ["-latency", f"{cond.latency_ms}ms"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        try:
            # Bounded wait for the banner: a fake that hangs must not hang the benchmark.
            if not select.select([self.proc.stdout], [], [], 15)[0]:
                raise RuntimeError(f"{' '.join(args)}: no banner within 15 s")
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"{' '.join(args)} exited with {self.proc.wait()}")
            info = json.loads(line)
            self.url, self.token = info["url"], info["token"]
            if cond.tls and not os.path.exists(self.ca_file):
                Path(self.ca_file).write_text(info["ca"])
            u = urllib.parse.urlsplit(self.url)
            # One kept-alive control connection, opened now: reset and stats then add no
            # connection of their own to the count a cell reads.
            if u.scheme == "https":
                ctx = ssl.create_default_context(cafile=self.ca_file)
                self.conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=30)
            else:
                self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
            self.reconnects = 0
            self.control("GET", "/_fake/stats")
        except BaseException:
            self.close()
            raise

    def control(self, method: str, path: str) -> dict:
        for attempt in (0, 1):
            try:
                self.conn.request(method, path)
                resp = self.conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    raise RuntimeError(f"fake {method} {path}: {resp.status} {body[:200]!r}")
                return json.loads(body)
            except (http.client.HTTPException, ConnectionError):
                if attempt:
                    raise
                # The server closed the idle connection; the retry opens a new one.
                self.conn.close()
                self.reconnects += 1
        raise AssertionError("unreachable")

    def reset(self) -> None:
        self.control("POST", "/_fake/reset")

    def connections(self) -> Optional[int]:
        """Connections accepted since the last reset, not counting our own control one."""
        before = self.reconnects
        n = self.control("GET", "/_fake/stats").get("connections")
        return None if n is None else n - (self.reconnects - before)

    def close(self) -> None:
        if getattr(self, "conn", None):
            self.conn.close()
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM to this pid only
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def cell_command(client: str, runtime: str, workload: str, fake: Fake, out_file: Path, env: dict):
    """The argv of one cell, with the client's own way of trusting the CA in env."""
    ca = fake.ca_file
    if runtime == "py":
        if client == "official" and ca:
            env["REQUESTS_CA_BUNDLE"] = ca
        # Our binding from the source tree on the freshly built library, as bench-python does.
        env.setdefault("PYTHONPATH", str(TOP / "bindings" / "python"))
        env.setdefault("CXREPORTS_LIB", str(TOP / "build" / "libcxreports.so"))
        return [sys.executable, str(Path(__file__).resolve()), "worker", client, workload, str(out_file)]
    if runtime == "node":
        # The Node binding loads its bundled libcxreports.so, as make bench-node does.
        env.pop("CXREPORTS_LIB", None)
        if ca:
            env["NODE_EXTRA_CA_CERTS"] = ca
        return ["node", str(NODE_WORKER), "binding" if client == "ours-node" else "fetch", workload, str(out_file)]
    if runtime == "java":
        # The jar's bundled library, as users get it; HttpClient trusts the CA through
        # CXREPORTS_CA (an SSLContext of its own), ours through caBundle.
        env.pop("CXREPORTS_LIB", None)
        return [str(JAVA_WORKER), "binding" if client == "ours-java" else "httpclient", workload, str(out_file)]
    curl = ["curl", "-sS", "-o", str(out_file), "-w", "%{time_total}\n",
            "-H", f"Authorization: Bearer {fake.token}", pdf_url(fake.url, BIG_PARAMS)]
    if ca:
        curl[1:1] = ["--cacert", ca]
    if os.access("/usr/bin/time", os.X_OK):
        return ["/usr/bin/time", "-f", "%M", "-o", str(out_file) + ".rss"] + curl
    return curl


def run_cell(client: str, runtime: str, workload: str, fake: Fake, workdir: Path) -> dict:
    fake.reset()
    out_file = workdir / f"out-{client}.pdf"
    env = dict(os.environ, CXREPORTS_URL=fake.url, CXREPORTS_TOKEN=fake.token, CXREPORTS_CA=fake.ca_file,
               BENCH_PARAMS=json.dumps(BIG_PARAMS if workload == "big" else RENDER_PARAMS),
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    # Each client trusts the fake's CA only the way the table says. Inherited CA settings
    # would interfere: requests lets REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE override
    # Session.verify (psf/requests#3829), and Go and OpenSSL read SSL_CERT_FILE/DIR.
    for name in CA_ENV:
        env.pop(name, None)
    cmd = cell_command(client, runtime, workload, fake, out_file, env)
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CELL_TIMEOUT)
        if p.returncode != 0:
            tail = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
            return {"error": tail[:120]}
        if runtime == "curl":
            r: dict = {"wall_s": float(p.stdout.split()[-1]), "calls": 1, "bytes": out_file.stat().st_size}
            rss = Path(str(out_file) + ".rss")
            if rss.exists():
                r["peak_rss_mb"] = int(rss.read_text().split()[-1]) / 1024
        else:
            r = json.loads(p.stdout.strip().splitlines()[-1])
        if workload == "big" and r.get("bytes", 0) < BIG_PARAMS["fakeSizeBytes"]:
            return {"error": f"short file: {r.get('bytes')} bytes"}
        r["connections"] = fake.connections()
        return r
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {CELL_TIMEOUT} s"}
    finally:
        for f in (out_file, Path(str(out_file) + ".rss")):
            f.unlink(missing_ok=True)


def fake_features(binary: str) -> set:
    usage = subprocess.run([binary, "-h"], capture_output=True, text=True, timeout=10).stderr
    return {f for f in ("tls", "latency") if f"-{f} " in usage or f"-{f}\n" in usage}


def fmt_cell(workload: str, r: Optional[dict]) -> str:
    if r is None:
        return "—"
    if "error" in r:
        return "error: " + r["error"].replace("|", "/")  # a | would split the table cell
    if "skipped" in r:
        return f"skipped ({r['skipped']})"
    wall, calls = r["wall_s"], r["calls"]
    conns = "conns n/a" if r.get("connections") is None else f"{r['connections']} conn"
    if workload == "small":
        main = f"{wall:.2f} s, {wall / calls * 1e3:.2f} ms/call"
    elif workload == "concurrent":
        main = f"{wall:.2f} s, {calls / wall:.0f} calls/s"
    elif workload == "render":
        main = f"{wall:.2f} s, {wall / calls * 1e3:.0f} ms/render"
    else:
        rss = f", {r['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in r else ""
        main = f"{wall:.2f} s{rss}"
    return f"{main}, {conns}"


def targets(res: dict, conds: List[Condition]) -> List[str]:
    """PASS/MISS/SKIP lines; res[(cond, workload, client)] = result dict."""
    def wall(c, w, k):
        r = res.get((c, w, k))
        return r["wall_s"] if r and "wall_s" in r else None

    lines = []
    for ours, alt in (("ours-py", "session"), ("ours-node", "fetch"), ("ours-java", "httpclient")):
        ratios, worst = [], None
        if not any((c.key, w, k) in res for c in conds for w in WORKLOADS for k in (ours, alt)):
            continue  # a client left out with --clients
        for w in WORKLOADS:
            for c in conds:
                if (c.key, w, ours) not in res and (c.key, w, alt) not in res:
                    continue  # a workload left out with --workloads
                a, o = wall(c.key, w, alt), wall(c.key, w, ours)
                if a is None or o is None:
                    ratios.append(f"{w}/{c.key} n/a")
                    worst = 0.0
                    continue
                ratios.append(f"{w}/{c.key} {a / o:.2f}")
                worst = a / o if worst is None else min(worst, a / o)
        ok = worst is not None and worst >= NOISE
        lines.append(f"{'PASS' if ok else 'MISS'} {LABEL[ours]} matches {LABEL[alt]} in every cell "
                     f"(time {alt} / ours, >= {NOISE:.2f} allowed for noise; worst {worst or 0:.2f}): "
                     + ", ".join(ratios))

    o, p = wall("tls5", "small", "official"), wall("tls5", "small", "ours-py")
    if o is None or p is None:
        po, pp = wall("plain", "small", "official"), wall("plain", "small", "ours-py")
        info = f"; plain HTTP: {po / pp:.1f}x" if po and pp else ""
        lines.append(f"SKIP {LABEL['ours-py']} >= {OFFICIAL_FACTOR}x the official client, "
                     f"100 small calls at TLS 5 ms: not measured{info}")
    else:
        lines.append(f"{'PASS' if o / p >= OFFICIAL_FACTOR else 'MISS'} {LABEL['ours-py']} >= "
                     f"{OFFICIAL_FACTOR}x the official client, 100 small calls at TLS 5 ms: {o / p:.1f}x")

    for c in conds:
        r, s = res.get((c.key, "big", "ours-py")), wall(c.key, "big", "session")
        if not r or "wall_s" not in r or s is None:
            lines.append(f"SKIP 200 MB save, {c.title}: ours or Session has no result")
            continue
        ok = r["wall_s"] <= s / NOISE and r["peak_rss_mb"] < RSS_LIMIT_MB
        lines.append(f"{'PASS' if ok else 'MISS'} 200 MB save, {c.title}: {LABEL['ours-py']} "
                     f"{r['wall_s']:.2f} s vs Session {s:.2f} s ({r['wall_s'] / s:.2f}x, <= 1 "
                     f"within noise), peak RSS {r['peak_rss_mb']:.0f} MB (< {RSS_LIMIT_MB} MB)")
    for c in conds:
        cu = wall(c.key, "big", "curl")
        for ours in ("ours-py", "ours-node", "ours-java"):
            if (c.key, "big", ours) not in res:
                continue  # a client left out with --clients
            o = wall(c.key, "big", ours)
            if o is None or cu is None:
                lines.append(f"SKIP 200 MB save within {CURL_FACTOR}x of curl -o, {c.title}, {LABEL[ours]}: no result")
                continue
            lines.append(f"{'PASS' if o <= CURL_FACTOR * cu else 'MISS'} 200 MB save within "
                         f"{CURL_FACTOR}x of curl -o, {c.title}, {LABEL[ours]}: {o:.2f} s vs "
                         f"{cu:.2f} s ({o / cu:.2f}x)")
    return lines


def machine() -> str:
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    curl = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[1]
    java = "n/a"
    if JAVA_WORKER.exists():
        java = subprocess.run([str(JAVA_WORKER), "version"], capture_output=True, text=True).stdout.strip() or "n/a"
    return (f"nproc {os.cpu_count()}, kernel {platform.release()}, Python {platform.python_version()}, "
            f"Node {node}, Java {java}, curl {curl}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fake", default=str(TOP / "build" / "cxfake"))
    ap.add_argument("--out", default=str(TOP / "build" / "bench-realistic.md"))
    ap.add_argument("--conditions", default=",".join(c.key for c in CONDITIONS),
                    help="comma-separated subset of " + ",".join(c.key for c in CONDITIONS))
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--clients", default=",".join(k for k, _, _ in CLIENTS),
                    help="comma-separated subset of " + ",".join(k for k, _, _ in CLIENTS))
    ap.add_argument("--budget", type=float, default=480,
                    help="seconds; cells not started by then are reported as skipped")
    ap.add_argument("--dir", default=str(TOP / "build"),
                    help="where the downloads go; on a tmpfs (/dev/shm) the disk drops out of "
                         "the figures")
    args = ap.parse_args()

    started = time.monotonic()
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    features = fake_features(args.fake)
    wanted = args.conditions.split(",")
    workloads = [w for w in WORKLOADS if w in args.workloads.split(",")]
    clients = [c for c in CLIENTS if c[0] in args.clients.split(",")]
    conds, notes = [], []
    for c in CONDITIONS:
        if c.key not in wanted:
            continue
        missing = [f for f, need in (("tls", c.tls), ("latency", c.latency_ms > 0)) if need and f not in features]
        if missing:
            notes.append(f"{c.title}: not run, {args.fake} has no {' / '.join('-' + m for m in missing)} yet")
        else:
            conds.append(c)
    # A directory of our own inside --dir, so removing it at the end removes only our files.
    workdir = Path(args.dir).resolve() / f"bench-realistic-{os.getpid()}"
    workdir.mkdir(parents=True)

    res: Dict[tuple, dict] = {}
    failed = False
    for c in conds:
        fake = Fake(args.fake, c, workdir)
        try:
            for w in workloads:
                for key, _, runtime in clients:
                    if runtime == "curl" and w != "big":
                        continue
                    if time.monotonic() - started > args.budget:
                        res[(c.key, w, key)] = {"skipped": "time budget"}
                        continue
                    r = run_cell(key, runtime, w, fake, workdir)
                    res[(c.key, w, key)] = r
                    failed |= "error" in r
                    print(f"{c.key:6} {w:10} {key:10} {fmt_cell(w, r)}", file=sys.stderr, flush=True)
        finally:
            fake.close()
    shutil.rmtree(workdir, ignore_errors=True)

    shown = [c for c in CONDITIONS if c.key in wanted]
    lines = [
        "# Realistic benchmark (make bench-realistic)",
        "",
        f"Run {when}; {machine()}. Against build/cxfake on 127.0.0.1; every cell is a fresh "
        f"process (wall time from its first call, no warm-up; connections counted by the fake).",
        "",
        "| workload | client | " + " | ".join(c.title for c in shown) + " |",
        "|---|---|" + "---:|" * len(shown),
    ]
    for w in workloads:
        for key, label, runtime in clients:
            if runtime == "curl" and w != "big":
                continue
            cells = [fmt_cell(w, res.get((c.key, w, key))) for c in shown]
            lines.append(f"| {WORKLOADS[w]} | {label} | " + " | ".join(cells) + " |")
    lines += ["", *[f"- {n}" for n in notes],
              "- Big file: ours save_pdf / savePdf (streamed to a temporary file by Go over HTTP/1.1, "
              "renamed into place), official get_pdf + write, Session iter_content(1 MiB), fetch "
              "Readable.fromWeb + pipeline, HttpClient BodyHandlers.ofFile, curl -o; none fsyncs; MB = peak "
              "RSS of the process (for Java: the JVM's VmHWM, default heap settings).",
              "", "```", *targets(res, conds), "```",
              "", f"Total run time {time.monotonic() - started:.0f} s.", ""]
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        sys.exit(worker(*sys.argv[2:5]))
    sys.exit(main())
