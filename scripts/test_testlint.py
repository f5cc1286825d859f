#!/usr/bin/env python3
"""Tests of scripts/testlint.py: tiny sample test files in a temporary folder, one
of each kind it must flag and of each form it must let pass, and the exact set of
file:line findings it prints for them. Run by make test (mk/testlint.mk) before
testlint itself runs over the tree. Standard library only: python3 scripts/test_testlint.py
"""
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unittest

LINT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testlint.py")

# Each sample marks the lines testlint must flag with a trailing comment naming
# the kind: "FLAG: assert" (no assertion) or "FLAG: skip". Every other line must
# stay unflagged.
GO = '''\
package sample

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNoAssertion(t *testing.T) { // FLAG: assert
	t.Log("t.Fatal in a string does not count")
	// t.Fatal("nor in a comment"); t.Skip("nor is this a skip")
}

func TestSkip(t *testing.T) {
	t.Skip("needs a tool") // FLAG: skip
	t.Error("x")
}

func TestSkipf(t *testing.T) {
	t.Skipf("needs %s", "x") // FLAG: skip
	t.Error("x")
}

func TestSkipNow(t *testing.T) {
	t.SkipNow() // FLAG: skip
	t.Error("x")
}

func TestShortGuard(t *testing.T) {
	if testing.Short() { // FLAG: skip
		return
	}
	t.Error("x")
}

func TestSubtestSkips(t *testing.T) {
	t.Run("sub", func(tt *testing.T) {
		tt.Skip() // FLAG: skip
		tt.Error("x")
	})
}

func TestAssert(t *testing.T)  { assert.Equal(t, 1, 1) }
func TestRequire(t *testing.T) { require.True(t, true) }
func TestFatal(t *testing.T)   { t.Fatalf("%d", 1) }
func TestErrorf(t *testing.T)  { t.Errorf("%d", 1) }
func TestFail(t *testing.T)    { t.Fail() }
func TestHelper(t *testing.T)  { check(t, 1) }
func TestHelperLast(t *testing.T) { check2(1, t) }
func TestOtherName(tt *testing.T) { tt.Fatal("x") }
func TestSubtestAsserts(t *testing.T) {
	t.Run("sub", func(st *testing.T) { st.Error("x") })
}
func TestShortShrinks(t *testing.T) {
	n := 10
	if testing.Short() {
		n = 1
	}
	assert.Equal(t, 10, n)
}
func BenchmarkNotATest(b *testing.B) {}
func TestMain(m *testing.M) {}
'''

PY = '''\
import pytest
import unittest
from pytest import importorskip  # FLAG: skip


def check(events):
    assert events


def make(x):
    return x


def test_no_assertion(fake):  # FLAG: assert
    print("assert in a string does not count")
    make(1)


def test_builtin_given_a_fixture(tmp_path):  # FLAG: assert
    str(tmp_path)


def test_skip():
    pytest.skip("no tool")  # FLAG: skip
    assert 1


@pytest.mark.skip(reason="x")  # FLAG: skip
def test_mark_skip():
    assert 1


@pytest.mark.skipif(True, reason="x")  # FLAG: skip
def test_mark_skipif():
    assert 1


@pytest.mark.xfail  # FLAG: skip
def test_mark_xfail():
    assert 1


def test_xfail_call():
    pytest.xfail("x")  # FLAG: skip
    assert 1


def test_importorskip():
    pytest.importorskip("numpy")  # FLAG: skip
    assert 1


def test_assert():
    assert 1 == 1


def test_raises():
    with pytest.raises(ValueError):
        int("x")


def test_fail():
    pytest.fail("x")


def test_helper_given_a_fixture(fake):
    verify(fake)


def test_module_helper_that_asserts():
    check([1])


async def test_async_assert():
    assert True


class TestGroup:
    def test_method_no_assertion(self):  # FLAG: assert
        pass

    def test_method_assert(self):
        assert True


class TestUnittest(unittest.TestCase):
    def test_unittest_assert(self):
        self.assertEqual(1, 1)

    def test_skip_test(self):
        self.skipTest("x")  # FLAG: skip
        self.assertTrue(1)


@unittest.skip("x")  # FLAG: skip
def test_unittest_skip():
    assert True
'''

JS = '''\
'use strict';
const { test, it } = require('node:test');
const assert = require('node:assert/strict');

test('no assertion', () => { // FLAG: assert
  console.log("assert.equal(1, 1) in a string does not count");
  // assert.ok(true) in a comment neither
});

it('no expect', () => { // FLAG: assert
  const re = /expect(/;
});

test('skip option', { skip: 'no cc' }, () => { // FLAG: skip
  assert.ok(true);
});

test('skip shorthand', { timeout: 5, skip }, () => { // FLAG: skip
  assert.ok(true);
});

test('todo option', { todo: true }, () => { // FLAG: skip
  assert.ok(true);
});

test.skip('test.skip', () => { // FLAG: skip
  assert.ok(true);
});

test.todo('test.todo'); // FLAG: skip

test('t.skip', (t) => {
  t.skip('no cc'); // FLAG: skip
  assert.ok(true);
});

test('t.todo', (t) => {
  t.todo(); // FLAG: skip
  assert.ok(true);
});

test('assert', () => {
  assert.equal(1, 1);
});

test('t.assert', (t) => {
  t.assert.ok(true);
});

test('assert()', async () => {
  assert(true);
});

it('expect', () => {
  expect(1).toBe(1);
});

test('subtests', async (t) => {
  await t.test('sub asserts', () => {
    assert.ok(true);
  });
  await t.test('sub does not', () => { // FLAG: assert
  });
});

function test2(x) { return /skip(/.test(x); }
const skipped = { ok: 1, skipped: 2 };
'''


def expected(name, text):
    want = set()
    for n, line in enumerate(text.splitlines(), 1):
        for kind in re.findall(r"FLAG: (assert|skip)", line):
            want.add((name, n, kind))
    return want


def run_lint(*paths):
    p = subprocess.run([sys.executable, LINT, *paths], capture_output=True, text=True)
    got = set()
    for line in p.stdout.splitlines():
        m = re.match(r"(.+?):(\d+): (.*)$", line)
        assert m, "not a path:line: reason line: %r" % line
        kind = "skip" if m.group(3).startswith("skip") else "assert" if "no assert" in m.group(3) else m.group(3)
        got.add((os.path.basename(m.group(1)), int(m.group(2)), kind))
    return p, got


class TestLint(unittest.TestCase):
    def sample_dir(self, files):
        d = tempfile.TemporaryDirectory(prefix="testlint-")
        self.addCleanup(d.cleanup)
        for name, text in files.items():
            path = os.path.join(d.name, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(textwrap.dedent(text))
        return d.name

    def test_flags_each_kind_and_nothing_else(self):
        files = {"sample_test.go": GO, "tests/test_sample.py": PY, "test/sample.test.js": JS}
        d = self.sample_dir(files)
        p, got = run_lint(d)
        want = set()
        for name, text in files.items():
            want |= expected(os.path.basename(name), text)
        self.assertEqual(sorted(got - want), [], "flagged, but should not be:\n" + p.stdout)
        self.assertEqual(sorted(want - got), [], "not flagged, but should be:\n" + p.stdout)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("testlint: %d finding(s)" % len(want), p.stderr)
        # Every kind the brief lists is among the samples.
        kinds = {(os.path.splitext(n)[1], k) for n, _, k in want}
        self.assertEqual(kinds, {(".go", "assert"), (".go", "skip"), (".py", "assert"),
                                 (".py", "skip"), (".js", "assert"), (".js", "skip")})

    def test_clean_tree_passes(self):
        d = self.sample_dir({
            "a_test.go": "package a\nimport \"testing\"\nfunc TestA(t *testing.T) { t.Fatal(\"x\") }\n",
            "tests/test_a.py": "def test_a():\n    assert True\n",
            "test/a.test.js": "const assert = require('node:assert');\ntest('a', () => assert.ok(1));\n",
            "test/helper.js": "module.exports = { skipped: 0 };\n",
            "node_modules/x/test/b.test.js": "test.skip('not ours', () => {});\n",
            "build/c_test.go": "package c\nfunc TestC(t *testing.T) { t.Skip() }\n",
        })
        p, got = run_lint(d)
        self.assertEqual((p.returncode, got), (0, set()), p.stdout + p.stderr)

    def test_a_file_named_on_the_command_line(self):
        d = self.sample_dir({"x_test.go": "package x\nimport \"testing\"\nfunc TestX(t *testing.T) { t.SkipNow() }\n"})
        p, got = run_lint(os.path.join(d, "x_test.go"))
        self.assertEqual(got, {("x_test.go", 3, "skip"), ("x_test.go", 3, "assert")}, p.stdout)
        self.assertEqual(p.returncode, 1)


if __name__ == "__main__":
    unittest.main(verbosity=1)
