'use strict';
// Temporary data, nonce tokens and preview URLs.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useFakeClient } = require('./fake');

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
