'use strict';
// 64 slow calls are really in flight at once (no libuv thread-pool cap), while the event
// loop keeps running; the fake's in-flight counter is the proof.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');
const { startWithClient, stopWithClient } = require('./fake');
const { cx } = require('./pkg');

let fake;
let client;
before(async () => ({ fake, client } = await startWithClient()));
after(() => stopWithClient({ fake, client }));

// Polls the fake's stats until fn(stats) holds. The bound is generous, there only so that
// a failure names what it waited for; no test here measures speed.
async function untilStats(what, fn, ms = 60000) {
  const end = Date.now() + ms;
  let stats;
  while (Date.now() < end) {
    stats = await fake.stats();
    if (fn(stats)) return stats;
    await sleep(10);
  }
  assert.fail(`timed out waiting until ${what}; last stats ${JSON.stringify(stats)}`);
}

test('64 slow getPdf calls are in flight at the same time', { timeout: 120000 }, async () => {
  await fake.reset();
  // Renders the fake holds for an hour (its maximum): none can finish before the others
  // have started, however slowly the machine starts them, so they overlap by
  // construction and the fake's in-flight count must reach 64. The abort ends them.
  const ac = new AbortController();
  const calls = Array.from({ length: 64 }, (_, i) =>
    client.getPdf(160, { params: { fakeDelayMs: 3600000, n: i } }, { signal: ac.signal }).then(() => 'resolved', (e) => e.name));
  // The event loop is free while they run: the stats can be polled meanwhile.
  await untilStats('64 renders are in flight at once', (s) => s.in_flight === 64);
  ac.abort();
  assert.deepEqual(await Promise.all(calls), Array(64).fill('AbortError'));
  const stats = await untilStats('the fake has let go of the aborted renders', (s) => s.in_flight === 0);
  assert.equal(stats.peak_concurrency, 64, 'never more than the 64 calls');
  const reqs = await fake.requests();
  assert.equal(reqs.length, 64, 'one request per call');
  assert.ok(reqs.every((q) => q.status === 0), 'the fake answered none: the abort ended every one');
});

test('many quick calls from several clients all settle exactly once', async () => {
  const clients = [0, 1, 2].map(() => new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: 1 }));
  try {
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => clients[i % 3].getThemes()));
    assert.ok(results.every((r) => r.length === 1 && r[0].code === 'dark'));
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
});

test('beyond the in-flight cap calls wait in a queue: abortable, timed, and all settle', async () => {
  // The cap is half of koffi's max_async_calls (see lib/native.js). A child process
  // lowers it to 16 -> 8 calls in flight, so the queue is exercised with few requests.
  const { spawnSync } = require('node:child_process');
  const { PKG_DIR } = require('./pkg');
  await fake.reset();
  const script = `
    const koffi = require(require.resolve('koffi', { paths: [process.env.PKG] }));
    koffi.config({ ...koffi.config(), max_async_calls: 16 });
    const { CxReportsClient } = require(process.env.PKG);
    const c = new CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
    const slow = Array.from({ length: 12 }, () => c.getPdf(160, { params: { fakeDelayMs: 800 } }));
    const ac = new AbortController();
    const aborted = c.getWorkspaces({ signal: ac.signal }).then(() => 'resolved', (e) => e.name);
    const timed = c.getWorkspaces({ timeout: 100 }).then(() => 'resolved', (e) => e.name);
    const later = c.getWorkspaces().then((w) => 'workspaces ' + w.length);
    ac.abort();
    Promise.all([Promise.all(slow), aborted, timed, later]).then(async ([pdfs, a, t, l]) => {
      console.log(JSON.stringify({ pdfs: pdfs.length, aborted: a, timed: t, later: l }));
      await c.close();
    });
  `;
  const r = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, PKG: PKG_DIR, URL_: fake.url, TOKEN: fake.token },
    encoding: 'utf8',
    timeout: 30000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { pdfs: 12, aborted: 'AbortError', timed: 'TimeoutError', later: 'workspaces 3' });
  const stats = await fake.stats();
  assert.equal(stats.peak_concurrency, 8, 'never more than the cap in flight');
  assert.equal(stats.requests, 13, 'the aborted and timed-out queued calls never reached the server');
});
