'use strict';
// The package as users get it. Under `make test-node` the package under test is the
// `npm pack` tarball installed into a fresh folder (CXREPORTS_NODE_PKG): check that it
// loads its bundled libcxreports.so and works from both require() and import.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startFake } = require('./fake');
const { cx, PKG_DIR } = require('./pkg');

const installed = Boolean(process.env.CXREPORTS_NODE_PKG);
let fake;
before(async () => {
  fake = await startFake();
});
after(async () => {
  await fake.stop();
});

function node(args, opts = {}) {
  const env = { ...process.env, URL_: fake.url, TOKEN: fake.token, ...opts.env };
  if (opts.env && opts.env.CXREPORTS_LIB === undefined) delete env.CXREPORTS_LIB;
  const r = spawnSync(process.execPath, args, { cwd: opts.cwd, env, encoding: 'utf8', timeout: 30000 });
  return r;
}

test('the installed tarball bundles libcxreports.so and loads it', { skip: !installed && 'not running against an installed tarball' }, () => {
  assert.equal(process.env.CXREPORTS_LIB, undefined, 'the test must not point CXREPORTS_LIB elsewhere');
  assert.equal(cx.libraryPath(), path.join(PKG_DIR, 'libcxreports.so'));
  assert.ok(fs.statSync(cx.libraryPath()).size > 0);
  const v = cx.versions();
  assert.equal(v.file, cx.libraryPath());
  assert.equal(v.library.abi, 1);
  assert.equal(v.package, require(path.join(PKG_DIR, 'package.json')).version);
  assert.ok(fs.existsSync(path.join(PKG_DIR, 'index.d.ts')));
  assert.ok(fs.existsSync(path.join(PKG_DIR, 'index.mjs')));
  assert.ok(!fs.existsSync(path.join(PKG_DIR, 'test')), 'tests are not shipped');
});

test('require("cxreports") from the install folder renders a PDF', { skip: !installed && 'not installed' }, () => {
  const root = path.resolve(PKG_DIR, '..', '..');
  const r = node(['-e', `
    const { CxReportsClient, NotFoundError } = require('cxreports');
    const c = new CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
    c.getPdf(160).then(async (b) => {
      console.log('cjs', b.subarray(0, 5).toString());
      await c.getReportPages(999999).catch((e) => console.log('404', e instanceof NotFoundError));
      await c.close();
    });
  `], { cwd: root, env: { CXREPORTS_LIB: undefined } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'cjs %PDF-\n404 true\n');
});

test('import from "cxreports" (ES module) renders a PDF and shares classes with require', { skip: !installed && 'not installed' }, () => {
  const root = path.resolve(PKG_DIR, '..', '..');
  const r = node(['--input-type=module', '-e', `
    import cx, { CxReportsClient, CxReportsError } from 'cxreports';
    import { createRequire } from 'node:module';
    const required = createRequire(process.cwd() + '/x.js')('cxreports');
    const c = new CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
    const b = await c.getPdf(160);
    console.log('esm', b.subarray(0, 5).toString());
    console.log('same', required.CxReportsError === CxReportsError, cx.CxReportsClient === CxReportsClient);
    await c.close();
  `], { cwd: root, env: { CXREPORTS_LIB: undefined } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'esm %PDF-\nsame true true\n');
});

test('a missing library gives a clear message naming CXREPORTS_LIB', () => {
  const r = node(['-e', `
    const { CxReportsClient } = require(${JSON.stringify(PKG_DIR)});
    try { new CxReportsClient({ baseUrl: 'http://127.0.0.1:1', token: 't' }) } catch (e) { console.log(e.message) }
  `], { env: { CXREPORTS_LIB: '/nonexistent/libcxreports.so' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\/nonexistent\/libcxreports\.so/);
  assert.match(r.stdout, /CXREPORTS_LIB/);
});

test('a library with another ABI version is refused at load with a clear message', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-abi-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'abi.c');
  fs.writeFileSync(src, 'int cx_abi_version(void) { return 999; }\n');
  const lib = path.join(dir, 'libcxreports.so');
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-o', lib, src], { stdio: 'pipe' });
  } catch (err) {
    t.skip(`no C compiler to build a wrong-ABI library: ${err.message}`);
    return;
  }
  const r = node(['-e', `
    const { CxReportsClient } = require(${JSON.stringify(PKG_DIR)});
    try { new CxReportsClient({ baseUrl: 'http://127.0.0.1:1', token: 't' }) } catch (e) { console.log(e.message) }
  `], { env: { CXREPORTS_LIB: lib } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /C ABI version 999/);
  assert.match(r.stdout, /needs version 1/);
});
