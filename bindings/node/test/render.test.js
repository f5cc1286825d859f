'use strict';
// getPdf / postPdf (Buffer), savePdf / savePostPdf (written by the library to a path),
// getPdfUrl, and download progress.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useFakeClient } = require('./fake');
const { cx } = require('./pkg');

const env = useFakeClient({ tmp: 'render' });

const isPdf = (buf) => buf.subarray(0, 5).toString('latin1') === '%PDF-';

test('getPdf returns the PDF as a Buffer and encodes params, theme and template', async () => {
  await env.fake.reset();
  const pdf = await env.client.getPdf(160, { params: { title: 'First page' }, timezone: 'UTC' }, { theme: 'dark', template: 2 });
  assert.ok(Buffer.isBuffer(pdf));
  assert.ok(isPdf(pdf), 'starts with %PDF-');
  const [req] = await env.fake.requests();
  assert.equal(req.path, `/api/v1/ws/${env.fake.workspaceId}/reports/160/pdf`);
  const q = new URLSearchParams(req.raw_query);
  assert.deepEqual(JSON.parse(Buffer.from(q.get('params'), 'base64url').toString()), { title: 'First page' });
  assert.equal(q.get('timezone'), 'UTC');
  assert.equal(q.get('theme'), 'dark');
  assert.equal(q.get('template'), '2');
});

test('getPdf by report type code and without params', async () => {
  assert.ok(isPdf(await env.client.getPdf('invoice')));
  assert.ok(isPdf(await env.client.getPdf(161, null, { workspaceId: 26 })));
});

test('getPdf with fakeSizeBytes returns every byte', async () => {
  const pdf = await env.client.getPdf(160, { params: { fakeSizeBytes: 3000000 } });
  assert.ok(pdf.length >= 3000000);
  assert.ok(isPdf(pdf));
});

test('postPdf sends the body with format pdf and does not mutate it', async () => {
  await env.fake.reset();
  const body = { data: { invoiceNumber: '12345' }, params: { title: 'Q1' } };
  const pdf = await env.client.postPdf(160, body);
  assert.ok(isPdf(pdf));
  assert.deepEqual(body, { data: { invoiceNumber: '12345' }, params: { title: 'Q1' } });
  const [req] = await env.fake.requests();
  assert.equal(req.method, 'POST');
  const sent = JSON.parse(req.body);
  assert.equal(sent.format, 'pdf');
  assert.deepEqual(sent.data, { invoiceNumber: '12345' });
});

test('savePdf streams to the path', async () => {
  const file = path.join(env.dir, 'saved.pdf');
  const d = await env.client.savePdf(160, file, { params: { fakeSizeBytes: 5000000 } });
  assert.equal(d.path, file);
  assert.equal(d.contentType.split(';')[0], 'application/pdf');
  const st = fs.statSync(file);
  assert.equal(st.size, d.bytes);
  assert.ok(d.bytes >= 5000000);
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 5, 0);
  fs.closeSync(fd);
  assert.ok(isPdf(head));
});

test('onProgress is refused where the library reports no progress', async () => {
  await assert.rejects(env.client.getPdfUrl(160, null, { onProgress: () => {} }), { code: 'invalid_argument' });
  await assert.rejects(env.client.startReportExport(160, null, { onProgress: () => {} }), { code: 'invalid_argument' });
});

test('savePdf with a relative path writes under the current directory', async () => {
  const cwd = process.cwd();
  process.chdir(env.dir);
  try {
    const d = await env.client.savePdf(160, 'relative.pdf');
    assert.equal(d.path, path.join(env.dir, 'relative.pdf'));
    assert.equal(fs.statSync(d.path).size, d.bytes);
  } finally {
    process.chdir(cwd);
  }
});

test('savePostPdf writes the body-rendered PDF', async () => {
  const file = path.join(env.dir, 'post.pdf');
  const d = await env.client.savePostPdf(160, file, { data: { a: 1 } });
  assert.equal(fs.statSync(file).size, d.bytes);
  assert.ok(d.bytes > 0);
});

test('savePdf into a missing directory fails with io_error and leaves nothing', async () => {
  const file = path.join(env.dir, 'no-such-dir', 'x.pdf');
  await assert.rejects(env.client.savePdf(160, file), (err) => {
    assert.ok(err instanceof cx.CxReportsError);
    assert.equal(err.code, 'io_error');
    assert.ok(err.message.includes('no-such-dir'), err.message);
    return true;
  });
  assert.equal(fs.existsSync(file), false);
});

test('savePdf rejects a missing path before calling the library', async () => {
  await assert.rejects(env.client.savePdf(160, ''), { code: 'invalid_argument' });
  await assert.rejects(env.client.savePdf(160, undefined), { code: 'invalid_argument' });
});

test('getPdfUrl builds the download URL without the token and without a request', async () => {
  await env.fake.reset();
  const url = await env.client.getPdfUrl(160, { params: { a: 1 } }, { theme: 'dark' });
  assert.ok(url.startsWith(`${env.fake.url}/api/v1/ws/${env.fake.workspaceId}/reports/160/pdf?`), url);
  assert.ok(!url.includes(env.fake.token));
  assert.equal(new URL(url).searchParams.get('theme'), 'dark');
  assert.equal(((await env.fake.requests()) || []).length, 0);
});
