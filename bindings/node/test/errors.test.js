'use strict';
// Errors keep the status, the server's message and the request id, map to the right
// class, and never contain the token; bad input is an error, never a crash.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startWithClient, stopWithClient } = require('./fake');
const { cx } = require('./pkg');

let fake;
let client;
before(async () => ({ fake, client } = await startWithClient({ maxRetries: 0 })));
after(() => stopWithClient({ fake, client }));

test('a wrong token is an UnauthenticatedError with status 401 and no token in it', async () => {
  const secret = 'wrong-token-s3cr3t';
  const bad = new cx.CxReportsClient({ baseUrl: fake.url, token: secret, defaultWorkspaceId: 1 });
  try {
    await assert.rejects(bad.getWorkspaces(), (err) => {
      assert.ok(err instanceof cx.UnauthenticatedError);
      assert.ok(err instanceof cx.CxReportsError);
      assert.ok(err instanceof Error);
      assert.equal(err.name, 'UnauthenticatedError');
      assert.equal(err.code, 'unauthenticated');
      assert.equal(err.status, 401);
      assert.match(err.message, /^Unauthenticated\./);
      assert.ok(!JSON.stringify({ ...err, message: err.message, stack: err.stack }).includes(secret));
      return true;
    });
  } finally {
    await bad.close();
  }
});

test('an unknown report is a NotFoundError with status 404 and the URL', async () => {
  await assert.rejects(client.getReportPages(999999), (err) => {
    assert.ok(err instanceof cx.NotFoundError);
    assert.equal(err.name, 'NotFoundError');
    assert.equal(err.code, 'not_found');
    assert.equal(err.status, 404);
    assert.match(err.message, /404/);
    assert.match(err.url, /\/reports\/999999\/pages$/);
    return true;
  });
});

test('an injected 500 keeps the server message and the request id', async () => {
  const p = `/api/v1/ws/${fake.workspaceId}/themes`;
  await fake.inject('GET', p, [{ status: 500, content_type: 'application/json', body: '{"error":"database on fire"}' }]);
  try {
    await assert.rejects(client.getThemes(), (err) => {
      assert.equal(err.constructor, cx.CxReportsError);
      assert.equal(err.code, 'http_error');
      assert.equal(err.status, 500);
      assert.equal(err.serverMessage, 'database on fire');
      assert.ok(err.message.includes('database on fire'), err.message);
      assert.equal(typeof err.requestId, 'string');
      assert.ok(err.requestId.length > 0, 'request id kept');
      return true;
    });
  } finally {
    await fake.clearFaults();
  }
});

test('maxRetries: 0 sends a failing GET once', async () => {
  try {
    await fake.reset();
    await fake.inject('GET', '/api/v1/workspaces', [{ status: 503 }]);
    await assert.rejects(client.getWorkspaces(), (e) => e.status === 503);
    const seen = (await fake.requests()).map((q) => `${q.method} ${q.path} ${q.status}`);
    assert.deepEqual(seen, ['GET /api/v1/workspaces 503']);
  } finally {
    await fake.clearFaults();
  }
});

test('retries are on by default: one 503 is absorbed', async () => {
  const c = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: 1, retryWaitMin: 10, retryWaitMax: 20 });
  try {
    await fake.reset(); // empties the request log
    await fake.inject('GET', '/api/v1/workspaces', [{ status: 503 }]);
    assert.equal((await c.getWorkspaces()).length, 3);
    // The 503 was really served and then retried: without this the test would pass
    // just as well if the fault never fired.
    const seen = (await fake.requests()).map((q) => `${q.method} ${q.path} ${q.status}`);
    assert.deepEqual(seen, ['GET /api/v1/workspaces 503', 'GET /api/v1/workspaces 200']);
  } finally {
    await fake.clearFaults();
    await c.close();
  }
});

test('a connection refused is a CxReportsError with code connection', async () => {
  const c = new cx.CxReportsClient({ baseUrl: 'http://127.0.0.1:1', token: 't', defaultWorkspaceId: 1, maxRetries: 0 });
  try {
    await assert.rejects(c.getWorkspaces(), { code: 'connection' });
  } finally {
    await c.close();
  }
});

test('invalid constructor options throw invalid_config synchronously', () => {
  assert.throws(() => new cx.CxReportsClient({ baseUrl: fake.url, token: 't', defaultWorkspaceID: 1 }), (err) => {
    assert.equal(err.code, 'invalid_config');
    assert.match(err.message, /defaultWorkspaceID/);
    return true;
  });
  assert.throws(() => new cx.CxReportsClient({ baseUrl: 'not a url', token: 't' }), { code: 'invalid_config' });
  assert.throws(() => new cx.CxReportsClient({ baseUrl: fake.url }), { code: 'invalid_config' });
  assert.throws(() => new cx.CxReportsClient({ baseUrl: fake.url, token: 't', timeout: -5 }), { code: 'invalid_config' });
  assert.throws(() => new cx.CxReportsClient({ baseUrl: fake.url, token: 't', maxRetries: 1.5 }), { code: 'invalid_config' });
  assert.throws(() => new cx.CxReportsClient(), { code: 'invalid_config' });
});

test('bad call arguments reject with invalid_argument, never crash', async () => {
  await assert.rejects(client.getReportPages(), (err) => {
    assert.equal(err.code, 'invalid_argument');
    assert.match(err.message, /^getReportPages: .*"reportId"/, 'named in the caller\'s terms');
    return true;
  });
  await assert.rejects(client.postPdf(160, [1, 2]), (err) => err.code === 'invalid_argument' && /"body"/.test(err.message));
  await assert.rejects(client.getReportPages({ nested: true }), { code: 'invalid_argument' });
  await assert.rejects(client.getPdf(160, { params: { big: 1n } }), { code: 'invalid_argument' });
  await assert.rejects(client.getThemes({ workspaceID: 2 }), (err) => err.code === 'invalid_argument' && /workspaceID/.test(err.message));
  await assert.rejects(client.getThemes({ timeout: 'soon' }), { code: 'invalid_argument' });
  await assert.rejects(client.getThemes({ signal: 'nope' }), { code: 'invalid_argument' });
  await assert.rejects(client.getWorkspaces({ workspaceId: 1 }), { code: 'invalid_argument' });
  await assert.rejects(client.getReports({ typ: 'x' }), { code: 'invalid_argument' });
  // the client still works afterwards
  assert.equal((await client.getThemes()).length, 1);
});

test('a closed client rejects calls with invalid_handle; close is idempotent', async () => {
  const c = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: 1 });
  await c.close();
  await c.close();
  await assert.rejects(c.getWorkspaces(), (err) => err.code === 'invalid_handle' && /closed/.test(err.message));
});

test('the error stack points at the caller', async () => {
  await assert.rejects(client.getReportPages(999999), (err) => {
    assert.match(err.stack, /errors\.test\.js/);
    return true;
  });
});
