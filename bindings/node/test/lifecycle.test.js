'use strict';
// Pending calls keep the process alive; an idle client does not. Each case runs in its
// own Node process, guarded so that a hang fails the test instead of stalling the suite.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useFake } = require('./fake');
const { runNode } = require('./pkg');

const fx = useFake();

// runWithClient runs body in a fresh Node process with c, a client of the fake, in scope.
function runWithClient(body, guardMs = 30000) {
  const source = `
    const { CxReportsClient } = require(process.env.PKG);
    const c = new CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1 });
    ${body}`;
  return runNode(source, { URL_: fx.fake.url, TOKEN: fx.fake.token }, guardMs);
}

test('a script that creates a client and does nothing exits by itself', async () => {
  const r = await runWithClient(`
    console.log('created');
  `);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'created');
});

test('a script with only a pending call stays alive until it resolves', async () => {
  // Nothing but the pending call holds the event loop: without the binding's keep-alive
  // the process would exit before "resolved" is printed.
  const r = await runWithClient(`
    c.getPdf(160, { params: { fakeDelayMs: 1000 } }).then((b) => console.log('resolved', b.length > 0));
    process.on('exit', () => console.log('exit'));
  `);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.trim().split('\n'), ['resolved true', 'exit']);
});

test('a script whose call finished exits by itself, even without close()', async () => {
  const r = await runWithClient(`
    c.getWorkspaces().then((w) => console.log('workspaces', w.length));
  `);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'workspaces 3');
});

test('a rejected call (aborted) releases the process too', async () => {
  const r = await runWithClient(`
    c.getPdf(160, { params: { fakeDelayMs: 3600000 } }, { signal: AbortSignal.timeout(300) }) // only the abort ends it
      .catch((e) => console.log('rejected', e.name));
  `);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'rejected AbortError');
});
