'use strict';
// cxreports/official beyond the vectors: the subpath export from require and import, the
// config, the checks of its arguments, and what it does better than the official client
// (errors with the server's message, status and request id; retries; AbortSignal).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { useFake } = require('./fake');
const { PKG_DIR, cx, runNode } = require('./pkg');

const official = require(path.join(PKG_DIR, 'official'));
const { CxReportsClient, CxReportsError } = official;

const fx = useFake();
const HOUR = 3600 * 1000;

function client(extra = {}) {
  return new CxReportsClient({ baseUrl: fx.fake.url, authToken: fx.fake.token, defaultWorkspaceId: String(fx.fake.workspaceId), ...extra });
}

/** Runs fn with a client() and closes the client after, whether fn passes or throws. */
async function withClient(fn) {
  const c = client();
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

test("'cxreports/official' resolves through the package's exports from require and import, one class set with the main entry", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-official-exports-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(PKG_DIR, path.join(dir, 'node_modules', 'cxreports'), 'dir');
    fs.writeFileSync(
      path.join(dir, 'check.mjs'),
      [
        "import { createRequire } from 'node:module';",
        "import { CxReportsClient, CxReportsError } from 'cxreports/official';",
        "import main from 'cxreports';",
        'const require = createRequire(import.meta.url);',
        "const cjs = require('cxreports/official');",
        'console.log([cjs.CxReportsClient === CxReportsClient, cjs.CxReportsError === CxReportsError, main.CxReportsError === CxReportsError, typeof CxReportsClient.prototype.downloadPDF].join(" "));',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, ['check.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'true true true function');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('config: a copy of the caller\'s object without the trailing slash; unknown keys and a missing token are refused', async () => {
  const given = { baseUrl: `${fx.fake.url}/`, authToken: fx.fake.token, defaultWorkspaceId: '1' };
  const c = new CxReportsClient(given);
  assert.equal(c.config.baseUrl, fx.fake.url);
  assert.equal(given.baseUrl, `${fx.fake.url}/`, "the caller's object is not changed");
  await c.close();
  assert.throws(() => new CxReportsClient({ baseUrl: fx.fake.url, token: 't' }), (e) => e instanceof CxReportsError && e.code === 'invalid_config' && /"token"/.test(e.message));
  assert.throws(() => new CxReportsClient({ baseUrl: fx.fake.url }), { code: 'invalid_config' });
  assert.throws(() => new CxReportsClient({ baseUrl: 'ftp://nowhere', authToken: 't' }), { code: 'invalid_config' });
});

test('config is read at each call: a changed workspace, timezone or token takes effect', async () => {
  await withClient(async (c) => {
    await fx.fake.reset();
    c.config.defaultWorkspaceId = 'sales team';
    c.config.defaultTimezone = 'Asia/Tokyo';
    await c.getReports();
    assert.equal(new URL(c.getReportPdfDownloadURL({ reportId: 160 })).searchParams.get('timezone'), 'Asia/Tokyo');
    c.config.authToken = 'not-the-token';
    await assert.rejects(c.getWorkspaces(), (e) => e instanceof cx.UnauthenticatedError && e.status === 401);
    const paths = (await fx.fake.requests()).map((r) => r.path);
    assert.equal(paths[0], '/api/v1/ws/sales team/reports');
  });
});

test('the URL builders are synchronous, send nothing, keep the nonce and throw CxReportsError for bad arguments', async () => {
  await withClient(async (c) => {
    await fx.fake.reset();
    const u = new URL(c.getReportPreviewURL({ reportId: 160, nonce: 'my-own-nonce', workspaceId: 26 }));
    assert.equal(u.pathname, '/ws/26/reports/160/preview');
    assert.equal(u.searchParams.get('nonce'), 'my-own-nonce');
    assert.ok(!u.href.includes(fx.fake.token));
    assert.deepEqual(await fx.fake.requests(), []);
    assert.throws(() => c.getReportPreviewURL({ nonce: 'n' }), (e) => e instanceof CxReportsError && e.code === 'invalid_argument' && /reportTypeCode/.test(e.message));
    assert.throws(() => c.getReportPdfDownloadURL({ reportId: 1, reportID: 2 }), (e) => e.code === 'invalid_argument' && /"reportID"/.test(e.message));
    assert.throws(() => c.getReportPdfDownloadURL({ reportId: 1, data: 'x'.repeat(70000) }), (e) => e.code === 'invalid_input' && /pushTemporaryData/.test(e.message));
    const noWs = new CxReportsClient({ baseUrl: fx.fake.url, authToken: fx.fake.token });
    assert.throws(() => noWs.getReportPdfDownloadURL({ reportId: 1 }), (e) => e.code === 'invalid_argument' && /defaultWorkspaceId/.test(e.message));
    await assert.rejects(noWs.getReports(), (e) => e.code === 'invalid_argument' && /workspaceCode/.test(e.message));
    await noWs.close();
  });
});

test("errors carry the server's message, the status and the request id", async () => {
  await withClient(async (c) => {
    await assert.rejects(c.downloadPDF({ reportId: 999999 }), (e) => {
      assert.ok(e instanceof CxReportsError);
      assert.equal(e.status, 404);
      assert.equal(e.code, 'not_found');
      assert.match(e.serverMessage, /999999/);
      assert.ok(e.requestId, 'a request id');
      return true;
    });
    // The official client's error would say only "Internal Server Error".
    const fault = { status: 500, body: '{"error":"the database is down"}', content_type: 'application/json' };
    await fx.fake.inject('GET', `/api/v1/ws/${fx.fake.workspaceId}/report-types`, [fault, fault, fault, fault]);
    await assert.rejects(c.getReportTypes(), (e) => {
      assert.equal(e.status, 500);
      assert.equal(e.serverMessage, 'the database is down');
      assert.match(e.message, /the database is down/);
      return true;
    });
    await fx.fake.clearFaults();
  });
});

test('a 503 is retried (the official client has no retries)', async () => {
  await withClient(async (c) => {
    try {
      await fx.fake.reset();
      await fx.fake.inject('GET', '/api/v1/workspaces', [{ status: 503, retry_after: '0' }]);
      const ws = await c.getWorkspaces();
      assert.ok(ws.length > 0);
      assert.equal((await fx.fake.requests()).length, 2);
    } finally {
      await fx.fake.clearFaults();
    }
  });
});

test('an AbortSignal as the last argument cancels downloadPDF', async () => {
  await withClient(async (c) => {
    const ac = new AbortController();
    const p = c.downloadPDF({ reportId: 160, params: { fakeDelayMs: HOUR } }, ac.signal);
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    await assert.rejects(p, (e) => e.name === 'AbortError' && e instanceof CxReportsError);
    assert.ok(Date.now() - t0 < 5000);
    await assert.rejects(c.getWorkspaces(AbortSignal.abort()), { name: 'AbortError' });
    await assert.rejects(c.getWorkspaces('not a signal'), { code: 'invalid_argument' });
  });
});

test('downloadPDF of 200 MB piped to a file the official way streams: peak RSS under 150 MB; cancelling the body ends the request', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-official-stream-'));
  try {
    // A child process of its own, so the peak is this download's and nothing else's.
    const r = await runNode(`
      const { Readable } = require('node:stream');
      const { pipeline } = require('node:stream/promises');
      const fs = require('node:fs');
      const { CxReportsClient } = require(require('node:path').join(process.env.PKG, 'official'));
      (async () => {
        const c = new CxReportsClient({ baseUrl: process.env.URL, authToken: process.env.TOKEN, defaultWorkspaceId: process.env.WS });
        const res = await c.downloadPDF({ reportId: 160, params: { fakeSizeBytes: 200 * 1024 * 1024 } });
        await pipeline(Readable.fromWeb(res.body), fs.createWriteStream(process.env.OUT));
        console.log(JSON.stringify({ length: res.headers.get('content-length'), type: res.headers.get('content-type'),
          size: fs.statSync(process.env.OUT).size,
          // VmHWM, this image's own peak (maxRSS survives exec: it would count the parent's).
          peakMB: Number(/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024 }));
      })();
    `, { URL: fx.fake.url, TOKEN: fx.fake.token, WS: String(fx.fake.workspaceId), OUT: path.join(dir, 'big.pdf') }, 120000);
    assert.equal(r.code, 0, r.err);
    const got = JSON.parse(r.out);
    console.log(`downloadPDF of ${got.size} bytes piped to a file: peak RSS ${got.peakMB.toFixed(1)} MB`);
    assert.equal(got.type, 'application/pdf');
    assert.equal(Number(got.length), got.size);
    assert.ok(got.size >= 200 * 1024 * 1024);
    assert.ok(got.peakMB < 150, `peak RSS ${got.peakMB.toFixed(1)} MB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await withClient(async (c) => {
    const res = await c.downloadPDF({ reportId: 160, params: { fakeSizeBytes: 200 * 1024 * 1024 } });
    const reader = res.body.getReader();
    assert.ok((await reader.read()).value.length > 0);
    await reader.cancel();
    const deadline = Date.now() + 2000;
    while ((await fx.fake.stats()).in_flight !== 0) {
      assert.ok(Date.now() < deadline, 'the fake still serves the download 2 s after its body was cancelled');
      await new Promise((done) => setTimeout(done, 20));
    }
  });
});

test('pushTemporaryData sends content as given, even an object that looks like the official argument', async () => {
  await withClient(async (c) => {
    await fx.fake.reset();
    await c.pushTemporaryData({ content: { content: 'x', expires: 1 } });
    const [r] = await fx.fake.requests();
    assert.deepEqual(JSON.parse(r.body), { content: { content: 'x', expires: 1 } });
    await assert.rejects(c.pushTemporaryData({ content: 1, expires: 'tomorrow-ish', workspaceId: 1, data: 2 }), { code: 'invalid_argument' });
    await assert.rejects(c.pushTemporaryData({ content: 1, expires: new Date('nope') }), /invalid Date/);
  });
});
