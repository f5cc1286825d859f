'use strict';
// Asynchronous export: start, status, wait (with progress), content as Buffer or file,
// exportToFile in one call, and a Failed export.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startWithClient, stopWithClient } = require('./fake');
const { cx } = require('./pkg');

let fake;
let client;
let dir;
before(async () => {
  ({ fake, client } = await startWithClient()); // exports stay InProgress for 300 ms
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-export-'));
});
after(async () => {
  await stopWithClient({ fake, client });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('start, poll, wait with progress, then fetch the content as a Buffer and as a file', async () => {
  const start = await client.startReportExport(160, { data: { title: 'Quarterly' } });
  assert.ok(start.temporaryFileId !== undefined);
  const first = await client.getExportStatus(start.temporaryFileId);
  assert.ok(['InProgress', 'Completed'].includes(first.status), first.status);

  const events = [];
  const done = await client.waitForExport(start.temporaryFileId, { pollInterval: 50, onProgress: (e) => events.push(e) });
  assert.equal(done.status, 'Completed');
  assert.ok(events.some((e) => e.stage === 'waiting'), JSON.stringify(events));
  assert.ok(events.every((e) => e.polls >= 0));

  const content = await client.getExportContent(start.temporaryFileId);
  assert.ok(Buffer.isBuffer(content));
  assert.equal(content.subarray(0, 5).toString('latin1'), '%PDF-');

  const file = path.join(dir, 'content.pdf');
  const d = await client.saveExportContent(start.temporaryFileId, file);
  assert.equal(d.bytes, content.length);
  assert.ok(fs.readFileSync(file).equals(content));
});

test('exportToFile runs the whole export, reports waiting and download progress', async () => {
  const file = path.join(dir, 'export.pdf');
  const events = [];
  const d = await client.exportToFile(160, file, { params: { a: 1, fakeSizeBytes: 3000000 } }, {
    pollInterval: 50,
    onProgress: (e) => events.push(e),
  });
  assert.equal(d.path, file);
  assert.equal(fs.statSync(file).size, d.bytes);
  assert.ok(d.bytes >= 3000000);
  assert.ok(d.temporaryFileId !== undefined);
  const stages = events.map((e) => e.stage);
  assert.ok(stages.includes('waiting'), stages.join());
  assert.equal(stages[stages.length - 1], 'done', stages.join());
  const last = events[events.length - 1];
  assert.equal(last.bytesDone, d.bytes);
  const dl = events.filter((e) => e.stage === 'downloading');
  for (let i = 1; i < dl.length; i++) assert.ok(dl[i].bytesDone >= dl[i - 1].bytesDone, 'bytesDone grows');
  assert.ok(events.every((e) => typeof e.elapsedMs === 'number' && e.elapsedMs >= 0));
});

test('a Failed export rejects waitForExport with export_failed and the server message', async () => {
  const start = await client.startReportExport(160, { params: { fakeFail: 'template exploded' } });
  await assert.rejects(client.waitForExport(start.temporaryFileId, { pollInterval: 50 }), (err) => {
    assert.ok(err instanceof cx.CxReportsError);
    assert.equal(err.code, 'export_failed');
    assert.equal(err.serverMessage, 'template exploded');
    return true;
  });
});

test('waitForExport with a timeout shorter than the export rejects with TimeoutError', { timeout: 60000 }, async () => {
  // An export that stays InProgress for an hour (the fake's maximum): the timeout is the
  // only way out of the wait, however slow the machine. (The test's own 60 s guard turns
  // a timeout that does not fire into a failure rather than an hour's hang.)
  const start = await client.startReportExport(160, { params: { fakeDelayMs: 3600000 } });
  await assert.rejects(client.waitForExport(start.temporaryFileId, { timeout: 100, pollInterval: 20 }), (err) => {
    assert.ok(err instanceof cx.TimeoutError);
    assert.equal(err.name, 'TimeoutError');
    assert.equal(err.code, 'timeout');
    return true;
  });
  assert.equal((await client.getExportStatus(start.temporaryFileId)).status, 'InProgress');
});
