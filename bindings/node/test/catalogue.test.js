'use strict';
// Workspaces, report types, themes, templates, reports, pages and jobs against the fake's
// fixed seed data (docs/contract.md, "Seed data").

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useFakeClient } = require('./fake');
const { cx } = require('./pkg');

const env = useFakeClient();

test('getWorkspaces returns the seed workspaces as plain objects', async () => {
  const ws = await env.client.getWorkspaces();
  assert.ok(Array.isArray(ws));
  assert.deepEqual(ws.map((w) => w.code).sort(), ['main', 'sales team', 'zero']);
  assert.equal(Object.getPrototypeOf(ws[0]), Object.prototype);
});

test('getReportTypes, getThemes, getTemplates, getJobs', async () => {
  const types = await env.client.getReportTypes();
  assert.deepEqual(types.map((t) => t.code).sort(), ['invoice', 'other']);
  assert.equal(types.find((t) => t.code === 'invoice').defaultReportId, 160);
  assert.deepEqual((await env.client.getThemes()).map((t) => [t.id, t.code]), [[3, 'dark']]);
  assert.deepEqual((await env.client.getTemplates()).map((t) => [t.id, t.code]), [[2, 'Default']]);
  const jobs = await env.client.getJobs();
  assert.deepEqual(jobs.map((j) => [j.id, j.code, j.reviewRequired]).sort(), [[42, 'monthly', true], [43, 'daily', false]]);
});

test('getReports: all, by type (object or string), offset and limit', async () => {
  const all = await env.client.getReports();
  assert.deepEqual(all.map((r) => r.id).sort(), [160, 161]);
  const other = await env.client.getReports({ type: 'other' });
  assert.deepEqual(other.map((r) => r.id), [161]);
  assert.deepEqual((await env.client.getReports('invoice')).map((r) => r.id), [160]);
  const page = await env.client.getReports({ offset: 1, limit: 1 });
  assert.equal(page.length, 1);
  const reqs = await env.fake.requests();
  const last = reqs[reqs.length - 1];
  assert.match(last.raw_query, /offset=1/);
  assert.match(last.raw_query, /limit=1/);
});

test('getReportPages by id and by report type code', async () => {
  const pages = await env.client.getReportPages(160);
  assert.ok(pages.length > 0);
  assert.ok(pages.every((p) => typeof p.name === 'string' && typeof p.type === 'string'));
  assert.deepEqual(await env.client.getReportPages('invoice'), pages);
});

test('workspaceId overrides the default per call: id, code, and 0', async () => {
  await env.fake.reset();
  await env.client.getThemes({ workspaceId: 26 });
  await env.client.getThemes({ workspaceId: 'sales team' });
  await env.client.getThemes({ workspaceId: 0 });
  await env.client.getThemes();
  const paths = (await env.fake.requests()).map((r) => r.path);
  assert.deepEqual(paths, [
    '/api/v1/ws/26/themes',
    '/api/v1/ws/sales team/themes',
    '/api/v1/ws/0/themes',
    `/api/v1/ws/${env.fake.workspaceId}/themes`,
  ]);
});

test('requests carry the cxreports-node User-Agent and the caller suffix', async () => {
  const c = new cx.CxReportsClient({ baseUrl: env.fake.url, token: env.fake.token, defaultWorkspaceId: 1, userAgentSuffix: 'my-app/2' });
  try {
    await env.fake.reset();
    await c.getWorkspaces();
    const [req] = await env.fake.requests();
    const ua = req.header['User-Agent'][0];
    assert.match(ua, new RegExp(`cxreports-node/${cx.version.replace(/\./g, '\\.')}`));
    assert.match(ua, /my-app\/2$/);
  } finally {
    await c.close();
  }
});
