'use strict';
// The package as users get it: the `npm pack` tarball installed into a fresh folder
// (CXREPORTS_NODE_PKG under `make test-node`; outside make, pkg.js packs this source tree
// and installs it the same way): check that it loads its bundled libcxreports.so and
// works from both require() and import, and that it carries the Windows DLLs, which the
// loader picks on win32 (run there by test/windows/, under Wine).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { useFake } = require('./fake');
const { cx, PKG_DIR, installedPackage } = require('./pkg');

const fx = useFake();

function node(args, opts = {}) {
  const env = { ...process.env, URL_: fx.fake.url, TOKEN: fx.fake.token, ...opts.env };
  if (opts.env && opts.env.CXREPORTS_LIB === undefined) delete env.CXREPORTS_LIB;
  const r = spawnSync(process.execPath, args, { cwd: opts.cwd, env, encoding: 'utf8', timeout: 30000 });
  return r;
}

// Each bundled library, lib/<process.platform>-<process.arch>/<file>, and its machine:
// the ELF e_machine of a .so, the PE Machine of a DLL.
const BUNDLED = {
  'linux-x64': ['libcxreports.so', 62],
  'linux-arm64': ['libcxreports.so', 183],
  'win32-x64': ['cxreports.dll', 0x8664],
  'win32-arm64': ['cxreports.dll', 0xaa64],
};
function machine(file) {
  const head = Buffer.alloc(4096);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (file.endsWith('.dll')) {
    assert.equal(head.subarray(0, 2).toString('latin1'), 'MZ', `${file} is not a PE file`);
    const pe = head.readUInt32LE(0x3c);
    assert.equal(head.subarray(pe, pe + 4).toString('latin1'), 'PE\0\0', `${file} has no PE signature`);
    return head.readUInt16LE(pe + 4);
  }
  assert.equal(head.subarray(0, 4).toString('latin1'), '\x7fELF', `${file} is not an ELF file`);
  return head.readUInt16LE(18);
}

test('the installed tarball bundles the four libraries and loads the one for this machine', () => {
  // Every test file loads the package under test with its own library: an inherited
  // CXREPORTS_LIB would make the whole suite test some other file.
  assert.equal(process.env.CXREPORTS_LIB, undefined, 'the test must not point CXREPORTS_LIB elsewhere (scripts/test-installed.sh unsets it)');
  assert.equal(cx.libraryPath(), path.join(PKG_DIR, 'lib', `${process.platform}-${process.arch}`, 'libcxreports.so'));
  const pkg = installedPackage();
  const here = `${process.platform}-${process.arch}`;
  assert.ok(here in BUNDLED, `the tests run on ${here}, which the package does not bundle`);
  for (const [platform, [name, want]] of Object.entries(BUNDLED)) {
    const file = path.join(pkg, 'lib', platform, name);
    assert.equal(machine(file), want, `${file} is not a ${platform} library`);
    assert.ok(fs.statSync(file).size < 12e6, `${file} is over 12 MB: not stripped?`);
  }
  assert.ok(!fs.existsSync(path.join(pkg, 'libcxreports.so')), 'no library at the package root any more');
  assert.ok(fs.existsSync(path.join(pkg, 'index.d.ts')));
  assert.ok(fs.existsSync(path.join(pkg, 'index.mjs')));
  assert.ok(!fs.existsSync(path.join(pkg, 'test')), 'tests are not shipped');
  // Loaded in a child with no CXREPORTS_LIB: a process holds one Go runtime, so this
  // one, which may have loaded the source tree's copy, cannot load a second.
  const r = node(['-e', `
    const cx = require(${JSON.stringify(pkg)});
    const v = cx.versions();
    console.log(JSON.stringify({ path: cx.libraryPath(), file: v.file, abi: v.library.abi, package: v.package }));
  `], { env: { CXREPORTS_LIB: undefined } });
  assert.equal(r.status, 0, r.stderr);
  const lib = path.join(pkg, 'lib', here, 'libcxreports.so');
  assert.deepEqual(JSON.parse(r.stdout), { path: lib, file: lib, abi: 1, package: require(path.join(pkg, 'package.json')).version });
});

test('require("cxreports") from the install folder renders a PDF', () => {
  const root = path.resolve(installedPackage(), '..', '..');
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

test('import from "cxreports" (ES module) renders a PDF and shares classes with require', () => {
  const root = path.resolve(installedPackage(), '..', '..');
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
  // A missing compiler fails the test, never skips it: the check would silently vanish.
  const cc = spawnSync('cc', ['-shared', '-fPIC', '-o', lib, src], { encoding: 'utf8' });
  assert.ok(!cc.error && cc.status === 0, `cc cannot build the wrong-ABI library (install a C compiler: apt-get install gcc): ${cc.error || cc.stderr}`);
  const r = node(['-e', `
    const { CxReportsClient } = require(${JSON.stringify(PKG_DIR)});
    try { new CxReportsClient({ baseUrl: 'http://127.0.0.1:1', token: 't' }) } catch (e) { console.log(e.message) }
  `], { env: { CXREPORTS_LIB: lib } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /C ABI version 999/);
  assert.match(r.stdout, /needs version 1/);
});

// Runs `code` in a child whose process.platform / process.arch / glibc report are faked
// (koffi is loaded first, for the real machine), with CXREPORTS_LIB as given.
function asIf({ platform, arch, musl = false, lib }, code) {
  const preload = `
    require(require.resolve('koffi', { paths: [${JSON.stringify(PKG_DIR)}] }));
    ${platform ? `Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} });` : ''}
    ${arch ? `Object.defineProperty(process, 'arch', { value: ${JSON.stringify(arch)} });` : ''}
    ${musl ? `const real = process.report.getReport.bind(process.report);
      process.report.getReport = () => { const r = real(); delete r.header.glibcVersionRuntime; return r; };` : ''}
  `;
  return node(['-e', `${preload}\nconst cx = require(${JSON.stringify(PKG_DIR)});\n${code}`], { env: { CXREPORTS_LIB: lib } });
}

const TRY_NEW = `
  try { new cx.CxReportsClient({ baseUrl: 'http://127.0.0.1:1', token: 't' }); console.log('loaded') }
  catch (e) { console.log(e.message) }
`;

test('another platform is refused with a clear message naming it', () => {
  for (const [platform, arch] of [['darwin', 'arm64'], ['linux', 'ia32']]) {
    const r = asIf({ platform, arch }, TRY_NEW);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /bundles its library for linux-x64, linux-arm64, win32-x64, win32-arm64 \(Linux with glibc 2\.17 or later, Windows 8\.1 or later\)/);
    assert.match(r.stdout, new RegExp(`not for ${platform}-${arch}\\. Build libcxreports\\.so for it`));
    assert.match(r.stdout, /CXREPORTS_LIB/);
  }
});

test('on Windows the loader picks lib/win32-<arch>/cxreports.dll, with no glibc check', () => {
  for (const arch of ['x64', 'arm64']) {
    const r = asIf({ platform: 'win32', arch, musl: true }, `
      console.log(cx.libraryPath());
      ${TRY_NEW}
    `);
    assert.equal(r.status, 0, r.stderr);
    const [where, message] = r.stdout.split('\n');
    assert.equal(where, path.join(PKG_DIR, 'lib', `win32-${arch}`, 'cxreports.dll'));
    // Here, on Linux, the DLL cannot load: the message says what a Windows user needs.
    assert.match(message, new RegExp(`cannot load the native library .*win32-${arch}.cxreports\\.dll`));
    assert.match(message, new RegExp(`cxreports\\.dll needs Windows 8\\.1 or later and a ${arch} Node`));
  }
});

test('musl (Alpine) is refused with a clear message, before trying to load a Go library', () => {
  const r = asIf({ musl: true }, TRY_NEW);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`not for ${process.platform}-${process.arch} with musl libc, which cannot load a Go shared library`));
});

test('CXREPORTS_LIB still overrides the platform choice', () => {
  const lib = path.join(PKG_DIR, 'lib', `${process.platform}-${process.arch}`, 'libcxreports.so');
  const r = asIf({ platform: 'darwin', arch: 'arm64', lib }, `
    console.log(cx.libraryPath() === ${JSON.stringify(lib)}, cx.versions().library.abi);
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'true 1\n');
});
