#!/usr/bin/env python3
"""make mutants: does the test suite have teeth?

Copies the project (the files git tracks plus new ones it does not ignore, as they
are in the working tree now) into a temporary folder, then, one at a time, breaks
one behaviour of the core there and runs the tests that should notice. A mutant
is "killed" when the tests fail, and "survived" when they pass: then nothing
checks that behaviour, and the run fails. The real tree is never written to.

Usage: scripts/mutants.py [--keep] [--only NAME]...

The tests run for each mutant are the Go tests of ./core/... and ./capi/...
(without the race detector, for speed; -failfast, since one failure is enough):
every binding reaches the core through capi, so these are the tests closest to
each behaviour. The table names the first tests that failed, so a mutant killed
only by an unrelated flaky test can be told from a real kill.
Before the mutants, the same tests run once on the unchanged copy: if they fail
there, the verdicts would mean nothing, and the run stops.

Each mutant names the exact text it replaces; when the code has moved on and the
text is no longer there, the run fails and says so, rather than report a mutant
that was never applied.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# name, file, original text, mutated text, what the mutant does.
MUTANTS = [
    ("post-resent-after-cut", "core/retry.go",
     "\t\t\t// Only a failed dial is certain not to have reached the server.\n"
     "\t\t\treturn isDialError(err), nil\n",
     "\t\t\treturn retryableTransportError(err), nil // MUTANT\n",
     "a POST whose connection was cut after it was sent is sent again"),
    ("post-restarted-after-body-cut", "core/cutretry.go",
     "\treturn idempotent(cl.method) && retried < c.policy.MaxRetries",
     "\treturn /* MUTANT: any method */ retried < c.policy.MaxRetries",
     "a POST whose answer was cut mid-body is sent again"),
    ("save-without-rename", "core/filedest.go",
     "\tif err := os.Rename(tmp.Name(), f.target); err != nil {\n",
     "\tif err := error(nil); err != nil { // MUTANT: no rename\n",
     "save_* leaves the download in its temporary file"),
    ("retry-after-ignored", "core/retry.go",
     "\t\t\t\treturn min(d, maxRetryAfter)\n",
     "\t\t\t\t_ = d // MUTANT\n\t\t\t\treturn 0\n",
     "a 429/503 is retried at once, not after its Retry-After"),
    ("token-in-messages", "core/errors.go",
     "func redact(s, token string) string {\n\tif len(token) < minRedactLen {\n",
     "func redact(s, token string) string {\n\tif true { // MUTANT\n",
     "the token the server echoes reaches messages and fields unredacted"),
    ("404-is-200", "core/client.go",
     "\tif resp.StatusCode < 200 || resp.StatusCode > 299 {\n",
     "\tif resp.StatusCode == http.StatusNotFound { // MUTANT\n\t\tresp.StatusCode, resp.Status = 200, \"200 OK\"\n\t}\n"
     "\tif resp.StatusCode < 200 || resp.StatusCode > 299 {\n",
     "a 404 answer is taken as a 200"),
]

GO_TESTS = ["test", "-count=1", "-race=false", "-failfast", "-timeout=10m", "./core/...", "./capi/..."]


def sh(cmd, cwd, env=None, log=None):
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if log:
        with open(log, "w") as f:
            f.write(p.stdout)
    return p.returncode, p.stdout, time.monotonic() - t0


def copy_tree(root, dest):
    """Copies what git tracks, and new files it does not ignore, from the working tree."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=root, check=True, stdout=subprocess.PIPE).stdout
    n = 0
    for rel in out.decode().split("\0"):
        if not rel or not os.path.lexists(os.path.join(root, rel)):
            continue  # deleted in the working tree, not yet in the index
        src, dst = os.path.join(root, rel), os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
        n += 1
    return n


def failed_tests(output):
    names = re.findall(r"^\s*--- FAIL: (\S+)", output, re.M)
    if not names and re.search(r"^FAIL\s|build failed|\[setup failed\]", output, re.M):
        return ["(build failed)"] if "build failed" in output or "setup failed" in output else ["(package failed)"]
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy and the logs")
    ap.add_argument("--only", action="append", default=[], help="run only this mutant (repeatable)")
    args = ap.parse_args()

    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=os.path.dirname(os.path.abspath(__file__)),
                          check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
    go = os.environ.get("GO", "go")
    mutants = [m for m in MUTANTS if not args.only or m[0] in args.only]
    if args.only and len(mutants) != len(args.only):
        sys.exit("mutants: unknown mutant in %s; have %s" % (args.only, ", ".join(m[0] for m in MUTANTS)))

    work = tempfile.mkdtemp(prefix="cxmutants-")
    tree = os.path.join(work, "tree")
    logs = os.path.join(work, "logs")
    os.makedirs(logs)
    env = dict(os.environ, GOFLAGS=os.environ.get("GOFLAGS", "-mod=mod"))
    env.pop("CXREPORTS_LIB", None)
    try:
        n = copy_tree(root, tree)
        print("mutants: %d files copied to %s" % (n, tree), flush=True)

        # Every mutant's text must be found exactly once, before anything runs.
        for name, rel, old, new, _ in mutants:
            with open(os.path.join(tree, rel)) as f:
                count = f.read().count(old)
            if count != 1:
                sys.exit("mutants: %s: the text to replace occurs %d times in %s (want 1); update scripts/mutants.py"
                         % (name, count, rel))

        def run_tests(tag):
            rc, out, took = sh([go] + GO_TESTS, tree, env, os.path.join(logs, tag + ".go.log"))
            return rc, (failed_tests(out) if rc else []), took

        print("mutants: the tests on the unchanged copy ...", flush=True)
        rc, fails, took = run_tests("baseline")
        if rc != 0:
            print(open(os.path.join(logs, "baseline.go.log")).read()[-6000:])
            sys.exit("mutants: the tests fail without any mutant (%s; %.0f s): fix that first; no verdict"
                     % (", ".join(fails) or "rc %d" % rc, took))
        print("mutants: baseline passes (%.0f s)" % took, flush=True)

        rows = []
        for name, rel, old, new, what in mutants:
            path = os.path.join(tree, rel)
            with open(path) as f:
                orig = f.read()
            with open(path, "w") as f:
                f.write(orig.replace(old, new, 1))
            try:
                print("mutants: %s (%s) ..." % (name, what), flush=True)
                rc, fails, took = run_tests(name)
            finally:
                with open(path, "w") as f:
                    f.write(orig)
            verdict = "killed" if rc != 0 else "SURVIVED"
            rows.append((name, rel, verdict, took, fails, what))
            print("mutants: %s %s in %.0f s%s" % (name, verdict, took, (" by " + ", ".join(fails[:4])) if fails else ""), flush=True)

        print()
        w = max(len(r[0]) for r in rows)
        print("%-*s  %-16s  %-8s  %6s  %s" % (w, "mutant", "file", "verdict", "time", "first failing tests"))
        for name, rel, verdict, took, fails, what in rows:
            shown = ", ".join(fails[:3]) + (" (+%d)" % (len(fails) - 3) if len(fails) > 3 else "")
            print("%-*s  %-16s  %-8s  %5.0fs  %s" % (w, name, rel, verdict, took, shown or "-"))
        print()
        for name, rel, verdict, took, fails, what in rows:
            print("  %s: %s" % (name, what))
        survived = [r[0] for r in rows if r[2] != "killed"]
        if survived:
            print("\nmutants: %d of %d survived: %s. Nothing in the suite checks that behaviour." %
                  (len(survived), len(rows), ", ".join(survived)), file=sys.stderr)
            return 1
        print("\nmutants: all %d killed" % len(rows))
        return 0
    finally:
        if args.keep:
            print("mutants: kept %s (logs in %s)" % (work, logs))
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
