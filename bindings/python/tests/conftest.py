"""Fixtures: the fake CxReports server (build/cxfake) and clients pointed at it.

The fake runs as a subprocess on a free loopback port; its first stdout line is JSON with
url, token and workspace_id. It is stopped by its pid. Tests read its HTTP control API
(/_fake/...) with urllib, so they need nothing beyond the standard library and pytest.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, MutableMapping, Optional

import pytest

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent
ROOT = BINDING.parent.parent
FAKE = Path(os.environ.get("CXFAKE", ROOT / "build" / "cxfake"))

sys.path.insert(0, str(BINDING))

# The suite sets, for itself, the variables of the environment it depends on, so that it
# passes wherever it is started (a company laptop, a CI runner, a script in the
# background), and children inherit the same: they get os.environ, or subprocess_env's
# copy of it. This runs before any test module imports cxreports.

# The tests test the library inside the package, the copy make took of build/'s. An
# inherited CXREPORTS_LIB would make them test some other build, or none.
os.environ.pop("CXREPORTS_LIB", None)

# Every server the tests talk to is on 127.0.0.1. Behind a company proxy (http_proxy set,
# a proxy that cannot reach this machine's loopback) urllib, which reads the control API
# here, and requests, which the official client uses in test_wire, would send loopback
# requests to the proxy unless no_proxy names the host. (Go never proxies loopback, so
# the library does not need this.) Tests of proxy behaviour set their own.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def bypass_proxy_for_loopback(env: MutableMapping[str, str]) -> None:
    """Adds 127.0.0.1 and localhost to no_proxy and NO_PROXY in env, keeping what is
    there. Both spellings get the same value: urllib lets whichever comes last in the
    environment win."""
    hosts: List[str] = []
    for name in ("no_proxy", "NO_PROXY"):
        for host in env.get(name, "").split(","):
            if host.strip() and host.strip() not in hosts:
                hosts.append(host.strip())
    hosts += [h for h in LOOPBACK_HOSTS if h not in hosts]
    env["no_proxy"] = env["NO_PROXY"] = ",".join(hosts)


bypass_proxy_for_loopback(os.environ)


# No skips. A test whose tool is missing fails naming what to install (require_tool,
# official_client); a skipped or xfailed test, or a skipped module, anyway fails the run,
# with its reason, so that a green run means every test ran and passed.
_skips: List[str] = []


def _skip_reason(report: Any) -> str:
    if hasattr(report, "wasxfail"):
        return f"xfail {report.wasxfail}".strip()
    longrepr = report.longrepr
    return str(longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else longrepr)


def pytest_runtest_logreport(report: Any) -> None:
    if report.skipped or hasattr(report, "wasxfail"):
        _skips.append(f"{report.nodeid}: {_skip_reason(report)}")


def pytest_collectreport(report: Any) -> None:
    if report.skipped:
        _skips.append(f"{report.nodeid}: {_skip_reason(report)}")


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if _skips and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skips:
        terminalreporter.section("skipped, which fails the run: this suite has no skips", red=True)
        for line in _skips:
            terminalreporter.line(line, red=True)


class Fake:
    """A running cxfake and its control API."""

    def __init__(self, proc: subprocess.Popen, info: Dict[str, Any]) -> None:
        self.proc = proc
        self.url: str = info["url"]
        self.token: str = info["token"]
        self.workspace_id = info["workspace_id"]
        self.info = info
        # With -tls, the control API is https too, under the fake's own CA.
        self._tls = ssl.create_default_context(cadata=info["ca"]) if info.get("ca") else None

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10, context=self._tls) as resp:
            text = resp.read()
        return json.loads(text) if text.strip() else None

    def stats(self) -> Dict[str, Any]:
        return self.control("GET", "/_fake/stats")

    def requests(self) -> list:
        return self.control("GET", "/_fake/requests")

    def reset(self) -> None:
        self.control("POST", "/_fake/reset")

    def inject(self, method: str, path: str, *faults: Dict[str, Any]) -> None:
        self.control("POST", "/_fake/faults", {"method": method, "path": path, "faults": list(faults)})

    def api_requests(self) -> list:
        """Recorded requests to the API itself (not the control API)."""
        return [r for r in self.requests() if not _field(r, "path").startswith("/_fake")]


def _field(record: Dict[str, Any], name: str) -> Any:
    """Recorded request fields, whatever their JSON casing (path / Path)."""
    for key in (name, name.capitalize(), name.upper()):
        if key in record:
            return record[key]
    lower = {k.lower(): v for k, v in record.items()}
    return lower.get(name.replace("_", "").lower(), "")


field = _field


def start_fake(*flags: str) -> Fake:
    if not FAKE.exists():
        pytest.fail(f"{FAKE} is missing: run 'make build-go' first")
    proc = subprocess.Popen([str(FAKE), "-port", "0", *flags], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if not line:
        proc.kill()
        pytest.fail("cxfake printed nothing on stdout")
    return Fake(proc, json.loads(line))


def stop_fake(fake: Fake) -> None:
    if fake.proc.poll() is None:
        os.kill(fake.proc.pid, signal.SIGTERM)
        try:
            fake.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(fake.proc.pid, signal.SIGKILL)
            fake.proc.wait()
    if fake.proc.stdout:
        fake.proc.stdout.close()


@pytest.fixture(scope="session")
def fake() -> Iterator[Fake]:
    server = start_fake("-export-delay", "300ms", "-job-delay", "300ms")
    try:
        yield server
    finally:
        stop_fake(server)


@pytest.fixture
def fake_with() -> Iterator[Callable[..., Fake]]:
    """Starts fakes with the flags a test needs (say "-render-slots", "2"); each is
    stopped by its pid when the test ends. Not the shared fake: a flag like that
    changes how it answers every other test."""
    started: List[Fake] = []

    def start(*flags: str) -> Fake:
        server = start_fake(*flags)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            stop_fake(server)


@pytest.fixture
def fresh(fake: Fake) -> Fake:
    """The fake with its stats, recorded requests and faults reset."""
    fake.reset()
    return fake


@pytest.fixture
def client(fresh: Fake):
    from cxreports import CxReportClientV1

    with CxReportClientV1(fresh.url, fresh.workspace_id, fresh.token, retry_wait_min=0.01,
                          retry_wait_max=0.05) as c:
        yield c


def subprocess_env(**extra: str) -> Dict[str, str]:
    """Environment for a child Python that imports the in-tree package: the suite's own
    (loopback bypasses any proxy), then extra, which a proxy test uses to set its own."""
    env = dict(os.environ)
    bypass_proxy_for_loopback(env)
    env["PYTHONPATH"] = str(BINDING) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


# The start of a child that a test interrupts with SIGINT (a Ctrl-C). A shell that runs
# a job in the background (`make test &`, nohup, some CI runners) starts it with SIGINT
# ignored, an ignored signal stays ignored across exec, and a Python started that way
# installs no KeyboardInterrupt handler. This trampoline puts SIGINT back to its default
# and execs the command, which then starts as it would from a terminal. (preexec_fn would
# do it between fork and exec, which the docs call unsafe in a process with threads;
# this one has Go's.)
_SIGINT_DEFAULT = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                   "os.execv(sys.argv[1], sys.argv[1:])")


def sigint_default(argv: List[str]) -> List[str]:
    """argv (argv[0] an absolute path) to be run with SIGINT at its default disposition."""
    assert os.path.isabs(argv[0]), argv
    return [sys.executable, "-c", _SIGINT_DEFAULT, *argv]


@contextlib.contextmanager
def python_child(source: str, *args: str, sigint: bool = False) -> Iterator[subprocess.Popen]:
    """A child Python running ``source`` with ``args`` against the in-tree package, its
    output piped as text. sigint: with SIGINT at its default (see sigint_default), for a
    test that sends it a Ctrl-C. However the test ends, the child is not left running."""
    argv = [sys.executable, "-c", source, *args]
    child = subprocess.Popen(sigint_default(argv) if sigint else argv, env=subprocess_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def require_tool(name: str, package: str) -> str:
    """The path of a command a test needs. Without it the test fails, on CI and on a
    developer's machine alike, rather than skip or check less: `make test` means every
    test, and the README lists the tools with their apt-get line."""
    import shutil

    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: apt-get install {package} "
                    "(README.md, 'Two commands', lists what the tests need)", pytrace=False)
    return path


def official_client() -> Any:
    """The official client's class (cxreports-api-client 0.0.5, module v1), which the
    wire, surface and answer tests compare ours with. Without it they fail, naming the
    package, rather than skip: make installs it into build/pyvenv (mk/python.mk)."""
    try:
        from v1 import CxReportClientV1
    except ImportError as exc:
        pytest.fail(f"the official client is not installed ({exc}): pip install cxreports-api-client==0.0.5, "
                    "or run 'make test-python', which installs it into build/pyvenv", pytrace=False)
    return CxReportClientV1


def pdf_text(data: bytes, tmp: Optional[Path] = None) -> str:
    """The text of a PDF via poppler's pdftotext (the test fails if it is missing)."""
    import tempfile

    pdftotext = require_tool("pdftotext", "poppler-utils")
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.pdf"
        src.write_bytes(data)
        out = subprocess.run([pdftotext, str(src), "-"], capture_output=True, check=True)
        text = out.stdout.decode("utf-8", "replace")
        assert text.strip(), f"pdftotext found no text in the PDF: {out.stderr!r}"
        return text
