'use strict';
// Temporary data, nonce tokens and preview URLs.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useFakeClient } = require('./fake');
const { cx } = require('./pkg');

const { CxReportsError } = cx;

const env = useFakeClient();

test('pushTemporaryData wraps the data as content and returns its id', async () => {
  await env.fake.reset();
  const t = await env.client.pushTemporaryData({ title: 'hello', items: [1, 2] }, { expiryDate: '2099-01-01T00:00:00Z' });
  assert.equal(typeof t.tempDataId, 'number');
  const [req] = await env.fake.requests();
  assert.equal(req.path, `/api/v1/ws/${env.fake.workspaceId}/temporary-data`);
  const body = JSON.parse(req.body);
  assert.deepEqual(body.content, { title: 'hello', items: [1, 2] });
  assert.equal(body.expiryDate, '2099-01-01T00:00:00Z');
  // the id is usable for a render
  const pdf = await env.client.getPdf(160, { tempDataId: t.tempDataId });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
});

test('createAuthToken returns a nonce', async () => {
  const n = await env.client.createAuthToken();
  assert.equal(typeof n.nonce, 'string');
  assert.ok(n.nonce.length > 0);
});

test('getPreviewUrl: fresh nonce per URL, query params kept, token never in the URL', async () => {
  const a = new URL(await env.client.getPreviewUrl(160, { lang: 'en' }));
  const b = new URL(await env.client.getPreviewUrl(160, { lang: 'en' }, { workspaceId: 26 }));
  assert.equal(a.pathname, `/ws/${env.fake.workspaceId}/reports/160/preview`);
  assert.equal(b.pathname, '/ws/26/reports/160/preview');
  assert.equal(a.searchParams.get('lang'), 'en');
  assert.ok(a.searchParams.get('nonce'));
  assert.notEqual(a.searchParams.get('nonce'), b.searchParams.get('nonce'));
  assert.ok(!a.href.includes(env.fake.token));
});

test('getPreviewUrl with data pushes it and sets tempDataId', async () => {
  const u = new URL(await env.client.getPreviewUrl(160, null, { data: { x: 1 } }));
  assert.ok(u.searchParams.get('tempDataId'), u.href);
  assert.ok(u.searchParams.get('nonce'));
});

// The official client's shape, pushTemporaryData({ content, workspaceId, expires }), would
// type-check against `data: unknown` and be sent nested as {"content":{"content":...}}.
test('pushTemporaryData refuses the official { content, ... } shape and names the right call', async () => {
  await env.fake.reset();
  for (const data of [
    { content: { a: 1 }, workspaceId: 26, expires: new Date('2099-01-01T00:00:00Z') },
    { content: { a: 1 } },
    { content: 'x', workspaceCode: 'main' },
  ]) {
    await assert.rejects(env.client.pushTemporaryData(data), (e) => {
      assert.ok(e instanceof CxReportsError);
      assert.equal(e.code, 'invalid_argument');
      assert.match(e.message, /@cx-reports\/api-client/);
      assert.match(e.message, /pushTemporaryData\(content/);
      assert.match(e.message, /cxreports\/official/);
      return true;
    });
  }
  await assert.rejects(env.client.pushTemporaryData({ content: 1, workspaceId: 26, expires: new Date() }), /expiryDate: expires\.toISOString\(\)/);
  assert.deepEqual(await env.fake.requests(), [], 'nothing is sent');
});

test('pushTemporaryData sends { content: ... } data as it is when the options argument is given, and other objects always', async () => {
  await env.fake.reset();
  await env.client.pushTemporaryData({ content: { a: 1 } }, {});
  await env.client.pushTemporaryData({ content: 'x', workspaceId: 3 }, { workspaceId: 26 });
  await env.client.pushTemporaryData({ content: 'x', title: 'more than the official keys' });
  await env.client.pushTemporaryData(new Map([['content', 1]]));
  await env.client.pushTemporaryData([{ content: 1 }]);
  const sent = (await env.fake.requests()).map((r) => [r.path, JSON.parse(r.body).content]);
  const ws = `/api/v1/ws/${env.fake.workspaceId}/temporary-data`;
  assert.deepEqual(sent, [
    [ws, { content: { a: 1 } }],
    ['/api/v1/ws/26/temporary-data', { content: 'x', workspaceId: 3 }],
    [ws, { content: 'x', title: 'more than the official keys' }],
    [ws, {}],
    [ws, [{ content: 1 }]],
  ]);
});
