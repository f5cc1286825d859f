'use strict';
// renderBatch: an async iterator of results as they finish; 429s pause the batch and
// are sent again, each file carries its own params, a rerun skips, bad items fail alone,
// leaving the loop early or aborting leaves no partial file.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useFakeClient } = require('./fake');
const { cx } = require('./pkg');

const env = useFakeClient({ tmp: 'batch' });

const PDF = '/api/v1/ws/1/reports/160/pdf';
const items = (n) => Array.from({ length: n }, (_, i) => ({ report: 160, output: `r/${i}.pdf`, params: { invoice: `INV-${String(i).padStart(4, '0')}` } }));
const waitFor = async (cond) => {
  for (let i = 0; i < 1000 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 10));
};

test('40 renders at concurrency 8 land through a burst of 429s; a rerun renders nothing', async () => {
  await env.fake.reset();
  await env.fake.inject('POST', PDF, Array(10).fill({ status: 429, retry_after: '0' }));
  const outDir = fs.mkdtempSync(path.join(env.dir, 'a-'));
  const counts = [];
  const got = [];
  for await (const r of env.client.renderBatch(items(40), { outDir, concurrency: 8, onProgress: (p) => counts.push(p) })) got.push(r);
  assert.deepEqual(got.map((r) => r.index).sort((x, y) => x - y), [...Array(40).keys()]);
  for (const r of got) {
    assert.equal(r.status, 'ok', JSON.stringify(r));
    assert.equal(r.error, null);
    const pdf = fs.readFileSync(path.join(outDir, 'r', `${r.index}.pdf`));
    assert.equal(r.bytes, pdf.length);
    assert.ok(pdf.toString('latin1').includes(`INV-${String(r.index).padStart(4, '0')}`), 'each file carries its own params');
  }
  const last = counts[counts.length - 1];
  assert.deepEqual([last.ok, last.total, last.throttled], [40, 40, 10]);
  assert.ok((await env.fake.stats()).peak_concurrency <= 8);

  await env.fake.reset();
  const again = [];
  for await (const r of env.client.renderBatch(items(40), { outDir, concurrency: 8 })) again.push(r.status);
  assert.deepEqual([...new Set(again)], ['skipped']);
  assert.equal((await env.fake.requests()).length, 0, 'a rerun renders nothing');
});

test('bad items fail alone, with a CxReportsError each', async () => {
  const outDir = fs.mkdtempSync(path.join(env.dir, 'b-'));
  const got = [];
  for await (const r of env.client.renderBatch([...items(2), { report: 160, output: '../x.pdf' }, { output: 'y.pdf' }], { outDir })) got[r.index] = r;
  assert.deepEqual(got.map((r) => r.status), ['ok', 'ok', 'failed', 'failed']);
  assert.ok(got[2].error instanceof cx.CxReportsError);
  assert.equal(got[2].error.code, 'invalid_input');
  await assert.rejects(async () => {
    for await (const r of env.client.renderBatch(items(1), { outDir, concurrency: 0 })) void r;
  }, (err) => err.code === 'invalid_argument');
});

test('leaving the loop early, or aborting, cancels the renders in flight and leaves no partial file', async () => {
  const slow = (n) => [{ report: 160, output: 'fast.pdf' }, ...Array.from({ length: n }, (_, i) => ({ report: 160, output: `slow-${i}.pdf`, params: { fakeDelayMs: 60000 } }))];
  const outDir = fs.mkdtempSync(path.join(env.dir, 'c-'));
  for await (const r of env.client.renderBatch(slow(5), { outDir, concurrency: 3 })) {
    assert.equal(r.index, 0);
    break;
  }
  assert.deepEqual(fs.readdirSync(outDir), ['fast.pdf']);
  await waitFor(async () => (await env.fake.stats()).in_flight === 0);
  assert.equal((await env.fake.stats()).in_flight, 0);

  const dir2 = fs.mkdtempSync(path.join(env.dir, 'd-'));
  const ac = new AbortController();
  await assert.rejects(async () => {
    for await (const r of env.client.renderBatch(slow(5).slice(1), { outDir: dir2, concurrency: 3, signal: ac.signal })) void r;
  }, (err) => {
    assert.ok(err instanceof cx.AbortError, err && err.stack);
    assert.deepEqual(fs.readdirSync(dir2), [], 'no partial file when the AbortError arrives');
    return true;
  }, setTimeout(() => ac.abort(), 300) && undefined);
});
