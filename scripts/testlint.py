#!/usr/bin/env python3
"""testlint: find tests that cannot fail, and any skip, in Go, pytest and node tests.

Usage: scripts/testlint.py [PATH...]   (default: the current folder)

A folder is walked (build/, dist/, out/, .git/, node_modules/, virtual environments
and caches are left out); a file is checked as what its name says. Each finding is
printed as path:line: reason, and the exit status is 1 when there is any.

It catches the easy kinds, on purpose simply, so that its verdicts are easy to
predict; it is not a proof that a test checks what it claims:

- Go: a func TestXxx(t *testing.T) whose body has no assertion: no assert./require.
  call, no t.Error/Errorf/Fatal/Fatalf/Fail/FailNow, and no call that passes t (a
  helper given t is taken to assert). Any t.Skip/Skipf/SkipNow (or b., or any
  receiver), and any `if testing.Short() {...}` whose block returns.
- pytest: a test function (test* at module level or in a Test* class) with no assert
  statement, no pytest.raises/fail/warns, no call to an assert* method (unittest,
  mocks), no `raise AssertionError`, no call of a helper by name that is passed one
  of the test's fixtures, and no call of a function of the same file that asserts. Any pytest.skip, mark.skip, mark.skipif, mark.xfail,
  pytest.xfail, pytest.importorskip, unittest.skip*, SkipTest or self.skipTest.
- node: a test(...)/it(...)/t.test(...) call whose arguments hold no assert
  (assert.x, t.assert.x, assert(...)) and no expect(...). Any { skip: ... } or
  { todo: ... } option, and any .skip(...)/.todo(...) (test.skip, it.skip, t.skip,
  test.todo, t.todo, describe.skip).

Comments and string literals are blanked before the Go and JavaScript checks, so
"t.Fatal" in a message or a commented-out t.Skip() neither counts nor is flagged;
Python is read with the ast module. Standard library only.
"""
import ast
import builtins
import os
import re
import sys

SKIP_DIRS = {".git", "build", "dist", "out", "node_modules", "__pycache__", ".venv", "venv",
             ".tox", ".mypy_cache", ".pytest_cache", "site-packages"}
JS_EXT = (".js", ".mjs", ".cjs")


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def blank(text, lang):
    """Return text with comments and string literals replaced by spaces (newlines
    kept, so offsets and line numbers stay those of the file). lang is "go" or "js"."""
    out = list(text)
    i, n = 0, len(text)

    def wipe(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    last = ""  # last significant character outside comments and strings (js regexes)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = text.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
            continue
        if c == "/" and nxt == "*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            wipe(i, j)
            i = j
            continue
        if c in "\"'" or c == "`":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\\" and (c != "`" or lang == "js"):
                    j += 1
                elif text[j] == "\n" and c != "`":
                    break  # unterminated: stop at the line's end
                j += 1
            j = min(j + 1, n)
            wipe(i + 1, j - 1)  # keep the quotes: "" still reads as a literal
            i = j
            last = c
            continue
        if lang == "js" and c == "/" and (last == "" or last in "(,=:[!&|?{};+-*%<>~^"):
            # a regular expression literal
            j, cls = i + 1, False
            while j < n and text[j] != "\n":
                if text[j] == "\\":
                    j += 2
                    continue
                if text[j] == "[":
                    cls = True
                elif text[j] == "]":
                    cls = False
                elif text[j] == "/" and not cls:
                    break
                j += 1
            wipe(i + 1, j)
            i = j + 1
            last = "/"
            continue
        if not c.isspace():
            last = c
        i += 1
    return "".join(out)


def matching(text, open_at):
    """Offset just past the bracket that closes the one at open_at (in blanked text)."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    stack = [pairs[text[open_at]]]
    i = open_at + 1
    while i < len(text) and stack:
        c = text[i]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")}]":
            if c == stack[-1]:
                stack.pop()
        i += 1
    return i


# --- Go ---------------------------------------------------------------------------

GO_TEST = re.compile(r"\bfunc\s+(Test\w*)\s*\(\s*(\w+)\s+\*testing\.T\s*\)[^{]*\{")
GO_T_NAMES = re.compile(r"\b(\w+)\s+\*?testing\.(?:T|TB)\b")
GO_SKIP = re.compile(r"\b\w+\s*\.\s*(Skip|Skipf|SkipNow)\s*\(")
GO_SHORT = re.compile(r"\bif\s+testing\.Short\(\)\s*\{")
GO_ASSERT = re.compile(r"\b(assert|require)\.\w+\s*\(")


def lint_go(path, text):
    found = []
    b = blank(text, "go")
    for m in GO_TEST.finditer(b):
        end = matching(b, m.end() - 1)
        body = b[m.end():end - 1]
        names = {m.group(2)} | set(GO_T_NAMES.findall(body))
        alt = "|".join(re.escape(x) for x in names)
        if GO_ASSERT.search(body):
            continue
        if re.search(r"\b(%s)\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(" % alt, body):
            continue
        if re.search(r"[(,]\s*(%s)\s*[,)]" % alt, body):
            continue  # a helper that is given t
        found.append((path, line_of(b, m.start()), "%s has no assertion (no assert./require., t.Error/Fatal/Fail, or helper given t)" % m.group(1)))
    for m in GO_SKIP.finditer(b):
        found.append((path, line_of(b, m.start()), "skip: %s" % re.sub(r"\s+", "", m.group(0))))
    for m in GO_SHORT.finditer(b):
        end = matching(b, m.end() - 1)
        block = b[m.end():end - 1]
        if re.search(r"\breturn\b", block):
            found.append((path, line_of(b, m.start()), "skip: a testing.Short() guard that returns"))
    return found


# --- Python -----------------------------------------------------------------------

PY_SKIP_ATTRS = {"skip", "skipif", "xfail", "importorskip", "skipIf", "skipUnless", "SkipTest"}
PY_BUILTINS = set(dir(builtins))


def root_name(node):
    while isinstance(node, (ast.Attribute, ast.Call)):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else None


def py_asserts(fn, helpers=frozenset(), fixtures=True):
    """Whether fn asserts: directly, through pytest or unittest, by calling a helper
    by name with one of its fixtures, or by calling one of helpers (the functions of
    its module that assert)."""
    params = {a.arg for a in fn.args.args + fn.args.kwonlyargs + fn.args.posonlyargs} - {"self", "cls"}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Raise) and node.exc is not None and "AssertionError" in ast.dump(node.exc):
            return True
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute):
            if f.attr in ("raises", "fail", "warns") and root_name(f) == "pytest":
                return True
            if f.attr.startswith("assert"):
                return True  # unittest's self.assertEqual, a mock's assert_called_once
        if isinstance(f, ast.Name) and f.id in helpers:
            return True  # a helper of this module that asserts
        if fixtures and isinstance(f, ast.Name) and f.id not in PY_BUILTINS:
            args = list(node.args) + [k.value for k in node.keywords]
            if any(isinstance(a, ast.Name) and a.id in params for a in args):
                return True  # a helper that is given a fixture
    return False


def lint_py(path, text):
    found = []
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as e:
        return [(path, e.lineno or 1, "cannot parse: %s" % e.msg)]
    tests = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            tests.append(node)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            tests += [f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name.startswith("test")]
    if os.path.basename(path) == "conftest.py":
        tests = []  # fixtures and hooks: only the skips count there
    # Module-level functions that assert (one level: a helper calling a helper that
    # asserts is not followed), so that check(events) counts in a test.
    helpers = frozenset(f.name for f in tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and not f.name.startswith("test") and py_asserts(f, fixtures=False))
    for fn in tests:
        if not py_asserts(fn, helpers):
            found.append((path, fn.lineno, "%s has no assertion (no assert, pytest.raises/fail, or helper given a fixture)" % fn.name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "skipTest":
            found.append((path, node.lineno, "skip: .skipTest"))
        elif isinstance(node, ast.Attribute) and node.attr in PY_SKIP_ATTRS and root_name(node) in ("pytest", "unittest"):
            found.append((path, node.lineno, "skip: %s" % ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and node.module in ("pytest", "unittest"):
            for a in node.names:
                if a.name in PY_SKIP_ATTRS:
                    found.append((path, node.lineno, "skip: from %s import %s" % (node.module, a.name)))
    return found


# --- JavaScript (node:test, and expect-style runners) ------------------------------

JS_TEST = re.compile(r"(?<![\w$.])(?:test|it)\s*\(|\bt\.test\s*\(")
JS_ASSERT = re.compile(r"(?<![\w$])assert\b|(?<![\w$.])expect\s*\(")
JS_SKIP_OPT = re.compile(r"[{,]\s*(skip|todo)\s*[:,}]")
JS_SKIP_CALL = re.compile(r"\.\s*(skip|todo)\s*\(")


def lint_js(path, text):
    found = []
    b = blank(text, "js")
    for m in JS_TEST.finditer(b):
        if re.search(r"\bfunction\s*$", b[max(0, m.start() - 20):m.start()]):
            continue  # a function named test, not a call
        end = matching(b, m.end() - 1)
        if not JS_ASSERT.search(b[m.end():end]):
            name = re.match(r"\s*(['\"`])(.*?)\1", text[m.end():end])
            label = " %r" % name.group(2)[:60] if name else ""
            found.append((path, line_of(b, m.start()), "test%s has no assert or expect" % label))
    for m in JS_SKIP_OPT.finditer(b):
        found.append((path, line_of(b, m.start()), "skip: a { %s: ... } option" % m.group(1)))
    for m in JS_SKIP_CALL.finditer(b):
        found.append((path, line_of(b, m.start()), "skip: .%s(...)" % m.group(1)))
    return found


# --- driver -----------------------------------------------------------------------

def kind(path, in_test_dir):
    name = os.path.basename(path)
    if name.endswith("_test.go"):
        return lint_go
    if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"):
        return lint_py
    if name.endswith(JS_EXT) and (in_test_dir or re.search(r"[._-]test\.[mc]?js$", name)):
        return lint_js
    return None


def files(paths):
    for p in paths:
        if os.path.isfile(p):
            yield p, kind(p, True)
            continue
        for d, dirs, names in os.walk(p):
            dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS and not x.startswith(".venv"))
            parts = set(os.path.normpath(d).split(os.sep))
            for name in sorted(names):
                f = os.path.join(d, name)
                yield f, kind(f, bool(parts & {"test", "tests"}))


def main(argv):
    paths = argv[1:] or ["."]
    found = []
    for f, lint in files(paths):
        if lint is None:
            continue
        with open(f, encoding="utf-8", errors="replace") as fh:
            rel = os.path.relpath(f)
            found += lint(f if rel.startswith("..") else rel, fh.read())
    for path, line, reason in sorted(found):
        print("%s:%d: %s" % (path, line, reason))
    sys.stdout.flush()
    if found:
        print("testlint: %d finding(s). A test must be able to fail: assert what it claims. "
              "None may skip: when a tool is missing, fail and name what to install." % len(found), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
