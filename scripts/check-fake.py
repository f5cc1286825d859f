#!/usr/bin/env python3
"""Usage: scripts/check-fake.py LABEL COMMAND... (its last word: the program, named in the report)

Starts the fake server as COMMAND -port 0 (COMMAND is a cxfake program, or an emulator
and its arguments followed by one: qemu-aarch64-static dist/cxfake-linux-arm64,
scripts/wine/run.sh build dist/cxfake-windows-amd64.exe) and checks what a user of the
shipped program relies on:

- it prints its JSON line on stdout: url (http://127.0.0.1:PORT), token, workspace_id;
- GET /api/v1/workspaces with "Authorization: Bearer TOKEN" answers 200 with a list
  that holds the workspace of workspace_id;
- the same GET without the token answers 401 (the fake checks the token);
- SIGTERM ends it, and its port stops answering.

Its stdout and stderr go to files (a Windows program under Wine cannot always write to
a Unix pipe); every wait is bounded, so a hang fails the check instead of stalling
make test. LABEL names the check in its messages. Standard library only.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

START_TIMEOUT = 60  # s: Wine's first start of a prefix's programs takes a few seconds


def fail(label, msg, tmp=None):
    if tmp:
        for name in ("stdout", "stderr"):
            with open(os.path.join(tmp, name), errors="replace") as f:
                text = f.read().strip()
            if text:
                msg += "\n  its %s: %s" % (name, text[:2000])
    print("%s: %s" % (label, msg), file=sys.stderr)
    sys.exit(1)


# Straight to the fake on loopback, whatever http_proxy says (CI sets one that cannot
# reach this machine's loopback).
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url, token=None):
    req = urllib.request.Request(url)
    if token is not None:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with DIRECT.open(req, timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    label, cmd = argv[1], argv[2:] + ["-port", "0"]
    with tempfile.TemporaryDirectory(prefix="check-fake-") as tmp:
        with open(os.path.join(tmp, "stdout"), "wb") as out, open(os.path.join(tmp, "stderr"), "wb") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            return check(label, cmd, argv[-1], proc, tmp)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def check(label, cmd, prog, proc, tmp):
    deadline = time.monotonic() + START_TIMEOUT
    line = ""
    while time.monotonic() < deadline:
        with open(os.path.join(tmp, "stdout"), errors="replace") as f:
            text = f.read()
        if "\n" in text:
            line = text.split("\n", 1)[0]
            break
        if proc.poll() is not None:
            fail(label, "%s exited %d before printing its JSON line" % (" ".join(cmd), proc.returncode), tmp)
        time.sleep(0.05)
    else:
        fail(label, "%s printed no JSON line within %d s" % (" ".join(cmd), START_TIMEOUT), tmp)
    try:
        info = json.loads(line)
        url, token, ws = info["url"], info["token"], info["workspace_id"]
    except (ValueError, KeyError, TypeError) as e:
        fail(label, "its first line is not the JSON line with url, token and workspace_id (%s): %r" % (e, line), tmp)
    if not url.startswith("http://127.0.0.1:") or not token or not isinstance(ws, int):
        fail(label, "its JSON line has no loopback url, token or integer workspace_id: %r" % line, tmp)

    status, body = get(url + "/api/v1/workspaces", token)
    if status != 200:
        fail(label, "GET /api/v1/workspaces with the token answered %d: %r" % (status, body[:300]), tmp)
    try:
        ids = [w["id"] for w in json.loads(body)]
    except (ValueError, KeyError, TypeError) as e:
        fail(label, "GET /api/v1/workspaces did not answer a list of workspaces (%s): %r" % (e, body[:300]), tmp)
    if ws not in ids:
        fail(label, "the workspaces %r do not hold workspace_id %d of the JSON line" % (ids, ws), tmp)
    status, body = get(url + "/api/v1/workspaces")
    if status != 401:
        fail(label, "GET /api/v1/workspaces without the token answered %d, want 401" % status, tmp)

    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        fail(label, "it did not end within 20 s of SIGTERM", tmp)
    try:
        get(url + "/api/v1/workspaces", token)
    except OSError:
        pass
    else:
        fail(label, "its port still answers after it ended", tmp)
    print("%s: %s printed its JSON line, listed workspace %d with the token (401 without) and ended on SIGTERM"
          % (label, os.path.basename(prog), ws))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
