'use strict';
// 1000 slow calls are really in flight at once (no libuv thread-pool cap, no cap in the
// package), while the event loop keeps running; the fake's in-flight counter is the proof.

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

test('1000 slow getPdf calls are in flight at the same time', { timeout: 120000 }, async () => {
  await fake.reset();
  // Renders the fake holds for an hour (its maximum): none can finish before the others
  // have started, however slowly the machine starts them, so they overlap by
  // construction and the fake's in-flight count must reach 1000. The abort ends them.
  const n = 1000;
  const ac = new AbortController();
  const calls = Array.from({ length: n }, (_, i) =>
    client.getPdf(160, { params: { fakeDelayMs: 3600000, n: i } }, { signal: ac.signal }).then(() => 'resolved', (e) => e.name));
  // The event loop is free while they run: the stats can be polled meanwhile.
  await untilStats(`${n} renders are in flight at once`, (s) => s.in_flight === n);
  ac.abort();
  assert.deepEqual(await Promise.all(calls), Array(n).fill('AbortError'));
  const stats = await untilStats('the fake has let go of the aborted renders', (s) => s.in_flight === 0);
  assert.equal(stats.peak_concurrency, n, `never more than the ${n} calls`);
  const reqs = await fake.requests();
  assert.equal(reqs.length, n, 'one request per call');
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

test('500 calls of one thread, four times the old per-thread cap, run together and all succeed', { timeout: 120000 }, async () => {
  // The package once ran at most 128 calls per thread (half of koffi's max_async_calls)
  // and queued the rest; the fake's peak would then stop at 128. Each render takes 4 s,
  // far longer than starting 500 calls does, so they overlap unless something queues them.
  await fake.reset();
  const n = 500;
  const pdfs = await Promise.all(Array.from({ length: n }, (_, i) => client.getPdf(160, { params: { fakeDelayMs: 4000, n: i } })));
  assert.ok(pdfs.every((b) => b.subarray(0, 5).toString() === '%PDF-'), 'every call returned its PDF');
  const stats = await fake.stats();
  assert.equal(stats.peak_concurrency, n, 'all of them were in flight at once');
  assert.equal(stats.requests, n, 'one request per call');
});
