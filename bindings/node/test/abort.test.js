'use strict';
// AbortSignal cancels the request in the library; per-call timeouts; close() cancels
// what is in flight.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { startFake, startWithClient, stopWithClient } = require('./fake');
const { cx } = require('./pkg');

let fake;
let client;
before(async () => ({ fake, client } = await startWithClient({ maxRetries: 0 })));
after(() => stopWithClient({ fake, client }));

// A render the fake holds for an hour (its maximum): only the abort or the timeout under
// test can end it, however slow the machine.
const HOUR = 3600000;
// Turns an abort or a timeout that never fires into a failure instead of an hour's hang.
const GUARD = { timeout: 60000 };

// Polls until the fake has n requests in flight. The bound is generous, there only so
// that a failure names what it waited for; no test here measures speed.
async function waitInFlight(n) {
  const end = Date.now() + 60000;
  let seen;
  while (Date.now() < end) {
    if ((seen = (await fake.stats()).in_flight) === n) return;
    await sleep(10);
  }
  assert.fail(`the fake never had ${n} requests in flight (last seen: ${seen})`);
}

test('aborting a slow call rejects with AbortError and cancels it on the server side', GUARD, async () => {
  const ac = new AbortController();
  const p = client.getPdf(160, { params: { fakeDelayMs: HOUR } }, { signal: ac.signal });
  await waitInFlight(1);
  ac.abort();
  await assert.rejects(p, (err) => {
    assert.equal(err.name, 'AbortError');
    assert.ok(err instanceof cx.AbortError);
    assert.ok(err instanceof cx.CxReportsError);
    assert.equal(err.code, 'canceled');
    return true;
  });
  await waitInFlight(0); // the Go side really dropped the request
});

test('an already-aborted signal rejects without a request', async () => {
  await fake.reset();
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(client.getWorkspaces({ signal: ac.signal }), { name: 'AbortError' });
  assert.equal(((await fake.requests()) || []).length, 0);
});

test('AbortSignal.timeout aborts too', GUARD, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-abort-timeout-'));
  try {
    await assert.rejects(
      client.savePdf(160, path.join(dir, 'never.pdf'), { params: { fakeDelayMs: HOUR } }, { signal: AbortSignal.timeout(200) }),
      { name: 'AbortError' },
    );
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing left behind');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await waitInFlight(0);
});

test('a per-call timeout (ms) rejects with TimeoutError', GUARD, async () => {
  await assert.rejects(client.getPdf(160, { params: { fakeDelayMs: HOUR } }, { timeout: 300 }), (err) => {
    assert.ok(err instanceof cx.TimeoutError);
    assert.ok(err instanceof cx.CxTimeoutError);
    assert.equal(err.name, 'TimeoutError');
    assert.equal(err.code, 'timeout');
    return true;
  });
  await waitInFlight(0);
});

test('the client timeout (ms, per attempt) applies to every call', GUARD, async () => {
  const c = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: 1, timeout: 300, maxRetries: 0 });
  try {
    await assert.rejects(c.getPdf(160, { params: { fakeDelayMs: HOUR } }), cx.TimeoutError);
  } finally {
    await c.close();
  }
  await waitInFlight(0);
});

test('a call that finishes before its signal fires is unaffected', async () => {
  const ac = new AbortController();
  const ws = await client.getWorkspaces({ signal: ac.signal });
  ac.abort();
  assert.equal(ws.length, 3);
});

test('close() cancels calls in flight: they reject with AbortError', GUARD, async () => {
  const c = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: 1 });
  const p = c.getPdf(160, { params: { fakeDelayMs: HOUR } });
  await waitInFlight(1);
  await c.close();
  await assert.rejects(p, { name: 'AbortError', code: 'canceled' });
  await waitInFlight(0);
});

test('an aborted savePdf has removed its temporary file by the time AbortError is caught', async () => {
  // A bandwidth-capped fake keeps a 500 MB download running; the signal fires once the
  // temporary file exists and is being written. Several rounds, because the library
  // often wins the race even when the binding does not wait for it.
  const slow = await startFake(['-bandwidth', '200mbit']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-abort-'));
  const c = new cx.CxReportsClient({ baseUrl: slow.url, token: slow.token, defaultWorkspaceId: 1, maxRetries: 0 });
  try {
    for (let round = 0; round < 5; round++) {
      const ac = new AbortController();
      const target = path.join(dir, `big-${round}.pdf`);
      let leftAtCatch = null;
      try {
        await c.savePdf(160, target, { params: { fakeSizeBytes: 500000000 } }, {
          signal: ac.signal,
          onProgress: (e) => {
            if (e.bytesDone > 1000000 && !ac.signal.aborted) {
              assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.part')).length, 1, 'the download writes a .part file');
              ac.abort();
            }
          },
        });
        assert.fail('savePdf resolved');
      } catch (err) {
        leftAtCatch = fs.readdirSync(dir); // at the very moment the caller sees the abort
        assert.equal(err.name, 'AbortError', err.stack);
      }
      // (An abort that did nothing would let the 20 s download finish: 'savePdf resolved'.)
      assert.deepEqual(leftAtCatch, [], `round ${round}: nothing left beside the target when AbortError arrives`);
    }
  } finally {
    await c.close();
    await slow.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
