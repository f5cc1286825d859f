'use strict';
// What error messages show: never a password or the token, this package's names
// (baseUrl, token, caBundle, workspaceId) instead of Go's or the C ABI's, ordinary
// words intact whatever the token, and URLs without a stray '?'.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { startWithClient, stopWithClient } = require('./fake');
const { cx } = require('./pkg');

const TOKEN = 'cxr-4f1b2c9d8e7a6b5c3d2e1f00';
const GO_AND_C_NAMES = ['BaseURL', 'Config.', 'CABundle', 'InWorkspace', 'WaitOptions', 'base_url', 'workspace_id', 'ca_bundle'];

let fake;
let client;
before(async () => ({ fake, client } = await startWithClient({ maxRetries: 0 })));
after(() => stopWithClient({ fake, client }));

/** Every text a caller can see on an error. */
const everything = (err) => JSON.stringify({ ...err, message: err.message, stack: err.stack });

async function closedPort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

test('a password in baseUrl is never shown', () => {
  for (const baseUrl of ['ftp://u:pw5ecret@host', 'http://u:pw5ecret@[::1', 'https://u:pw5ecret@h%zz/',
    'https://u:pw5ecret@tenant.example', 'https://u:pw5/ecret@host', 'u:pw5ecret@host']) {
    assert.throws(() => new cx.CxReportsClient({ baseUrl, token: TOKEN, defaultWorkspaceId: 1 }), (err) => {
      assert.equal(err.code, 'invalid_config');
      assert.ok(!/pw5|ecret/.test(everything(err)), `${baseUrl}: ${err.message}`);
      assert.match(err.message, /baseUrl .* must not contain user info/);
      return true;
    });
  }
});

test('a token passed as baseUrl is never shown', () => {
  for (const [baseUrl, token, says] of [[TOKEN, TOKEN, /holds the token/], [TOKEN, 'https://tenant.example', /look swapped/]]) {
    assert.throws(() => new cx.CxReportsClient({ baseUrl, token }), (err) => {
      assert.equal(err.code, 'invalid_config');
      assert.ok(!everything(err).includes(TOKEN), err.message);
      assert.match(err.message, says);
      return true;
    });
  }
});

test('a short token never mangles a message', async () => {
  const port = await closedPort();
  for (const token of ['e', 'x', 'error', 'proxy', 'Connection', 'occurred']) {
    const c = new cx.CxReportsClient({ baseUrl: `http://127.0.0.1:${port}`, token, defaultWorkspaceId: 1, maxRetries: 0 });
    try {
      await assert.rejects(c.getWorkspaces(), (err) => {
        assert.equal(err.code, 'connection');
        assert.ok(err.message.startsWith(`Connection error occurred: GET http://127.0.0.1:${port}/api/v1/workspaces: `), err.message);
        assert.ok(!err.message.includes('REDACTED'), err.message);
        assert.ok(err.message.includes('Check the base URL (baseUrl), the network and proxy settings'), err.message);
        return true;
      });
    } finally {
      await c.close();
    }
  }
});

test('the token echoed by the server is redacted', async () => {
  await fake.inject('GET', '/api/v1/workspaces', [{ status: 400, body: `{"error":"token ${fake.token} is not valid"}` }]);
  try {
    await assert.rejects(client.getWorkspaces(), (err) => {
      assert.equal(err.status, 400);
      assert.equal(err.serverMessage, 'token [REDACTED] is not valid');
      assert.ok(!everything(err).includes(fake.token));
      return true;
    });
  } finally {
    await fake.clearFaults();
  }
});

test("messages use this package's names", async () => {
  const seen = [];
  const port = await closedPort();
  const down = new cx.CxReportsClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, defaultWorkspaceId: 1, maxRetries: 0 });
  const wrong = new cx.CxReportsClient({ baseUrl: fake.url, token: 'wrong-token', defaultWorkspaceId: 1 });
  const noWs = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token });
  try {
    await assert.rejects(down.getPdf(160), (err) => seen.push(err) && /\(baseUrl\)/.test(err.message));
    await assert.rejects(wrong.getThemes(), (err) => seen.push(err) && /Check that the token \(token\) is a valid/.test(err.message));
    await assert.rejects(noWs.getThemes(), (err) => {
      seen.push(err);
      assert.equal(err.message, 'Invalid input: no workspace: set defaultWorkspaceId or pass workspaceId');
      return true;
    });
    await assert.rejects(client.getPdf(160, { lang: 'x'.repeat(70_000) }), (err) => seen.push(err) && /postPdf.*pushTemporaryData/.test(err.message));
  } finally {
    await Promise.all([down.close(), wrong.close(), noWs.close()]);
  }
  assert.throws(() => new cx.CxReportsClient({ token: 't' }), (err) => seen.push(err) && /^Invalid config: baseUrl is empty/.test(err.message));
  assert.throws(() => new cx.CxReportsClient({ baseUrl: 5, token: 't' }), (err) => seen.push(err) && /baseUrl must be a string/.test(err.message));
  assert.throws(() => new cx.CxReportsClient({ baseUrl: fake.url, token: 't', caBundle: '/nonexistent.pem' }),
    (err) => seen.push(err) && /cannot read caBundle:/.test(err.message));
  assert.throws(() => new cx.CxReportsClient({ baseUrl: fake.url, token: 't', defaultWorkspaceId: true }),
    (err) => seen.push(err) && /defaultWorkspaceId must be an integer id or a string code/.test(err.message));
  for (const err of seen) {
    for (const name of GO_AND_C_NAMES) assert.ok(!err.message.includes(name), `${name} in: ${err.message}`);
  }
});

test("no stray '?' in an error's URL", async () => {
  await assert.rejects(client.getPdf(999999), (err) => {
    assert.equal(err.code, 'not_found');
    assert.ok(err.message.includes('/reports/999999/pdf.'), err.message);
    assert.ok(!err.message.includes('pdf?'), err.message);
    assert.match(err.url, /\/reports\/999999\/pdf$/);
    return true;
  });
});
