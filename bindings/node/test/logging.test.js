'use strict';
// The library's log callback reaches setLogHandler on the main thread, never with the token.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startFake } = require('./fake');
const { cx } = require('./pkg');

let fake;
before(async () => {
  fake = await startFake();
});
after(async () => {
  cx.setLogHandler(null);
  await fake.stop();
});

test('debug logs of a failing, retried call arrive without the token', { timeout: 60000 }, async () => {
  const logs = [];
  // Log lines reach the handler through the thread's inbox, not with the call's result:
  // wait for the last line of the call, that of the answered retry, rather than a while.
  let lastLine;
  const last = new Promise((resolve) => (lastLine = resolve));
  cx.setLogHandler((level, message) => {
    logs.push({ level, message });
    if (/ -> 200 .*\(attempt 2\)/.test(message)) lastLine();
  }, { level: 'debug' });
  const c = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: 1, retryWaitMin: 10, retryWaitMax: 20 });
  try {
    await fake.inject('GET', '/api/v1/workspaces', [{ status: 503 }]);
    await c.getWorkspaces();
    await last;
    assert.ok(logs.some((l) => l.level === 'info' && / -> 503 .*\(attempt 1\)/.test(l.message)), JSON.stringify(logs));
    assert.ok(logs.every((l) => ['debug', 'info', 'warn', 'error'].includes(l.level)));
    assert.ok(logs.every((l) => typeof l.message === 'string' && !l.message.includes(fake.token)));
  } finally {
    cx.setLogHandler(null);
    await fake.clearFaults();
    await c.close();
  }
});

test('setLogHandler validates its arguments', () => {
  assert.throws(() => cx.setLogHandler('x'), { code: 'invalid_argument' });
  assert.throws(() => cx.setLogHandler(() => {}, { level: 'loud' }), { code: 'invalid_argument' });
});
