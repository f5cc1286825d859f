'use strict';
// onProgress on the downloads: getPdf, postPdf, getExportContent (Buffer) and savePdf,
// savePostPdf, saveExportContent (file).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startWithClient, stopWithClient } = require('./fake');

const SIZE = 2000000;
const big = { params: { fakeSizeBytes: SIZE } };

let fake;
let client;
let dir;
let tempFileId;
before(async () => {
  ({ fake, client } = await startWithClient());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-progress-'));
  tempFileId = (await client.startReportExport(160, big)).temporaryFileId;
  await client.waitForExport(tempFileId, { pollInterval: 50 });
});
after(async () => {
  await stopWithClient({ fake, client });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** "downloading" from 0 of the announced size, bytesDone never decreasing, one final "done". */
function check(events, size) {
  assert.ok(events.length >= 2, JSON.stringify(events));
  const [first] = events;
  const last = events[events.length - 1];
  assert.deepEqual([first.stage, first.bytesDone, first.bytesTotal], ['downloading', 0, size]);
  for (let i = 1; i < events.length - 1; i++) {
    assert.equal(events[i].stage, 'downloading');
    assert.ok(events[i].bytesDone >= events[i - 1].bytesDone, JSON.stringify(events));
    assert.equal(events[i].bytesTotal, size);
  }
  assert.deepEqual([last.stage, last.bytesDone, last.bytesTotal], ['done', size, size]);
  assert.equal(events.filter((e) => e.stage === 'done').length, 1);
  assert.ok(events.every((e) => typeof e.elapsedMs === 'number' && e.elapsedMs >= 0));
}

test('Buffer downloads report progress', async () => {
  const calls = {
    getPdf: (onProgress) => client.getPdf(160, big, { onProgress }),
    postPdf: (onProgress) => client.postPdf(160, big, { onProgress }),
    getExportContent: (onProgress) => client.getExportContent(tempFileId, { onProgress }),
  };
  for (const [name, call] of Object.entries(calls)) {
    const events = [];
    const buf = await call((e) => events.push(e));
    assert.ok(buf.length >= SIZE, name);
    check(events, buf.length);
  }
});

test('file downloads report progress; "done" comes once the file is in place', async () => {
  const calls = {
    savePdf: (file, onProgress) => client.savePdf(160, file, big, { onProgress }),
    savePostPdf: (file, onProgress) => client.savePostPdf(160, file, big, { onProgress }),
    saveExportContent: (file, onProgress) => client.saveExportContent(tempFileId, file, { onProgress }),
  };
  for (const [name, call] of Object.entries(calls)) {
    const file = path.join(dir, `${name}.pdf`);
    const events = [];
    let sizeAtDone = -1;
    const d = await call(file, (e) => {
      if (e.stage === 'done') sizeAtDone = fs.statSync(file).size;
      events.push(e);
    });
    assert.equal(fs.statSync(file).size, d.bytes, name);
    assert.equal(sizeAtDone, d.bytes, name);
    check(events, d.bytes);
  }
});

test('a throwing onProgress is reported as a warning and the download completes', async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    const d = await client.savePdf(160, path.join(dir, 'throws.pdf'), big, {
      onProgress: () => {
        throw new Error('progress bar broke');
      },
    });
    assert.ok(d.bytes >= SIZE);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  assert.ok(warnings.some((m) => m.includes('savePdf') && m.includes('progress bar broke')), JSON.stringify(warnings));
});

test('onProgress must be a function', async () => {
  await assert.rejects(client.getPdf(160, null, { onProgress: 'yes' }), { code: 'invalid_argument', message: /getPdf: onProgress must be a function/ });
});
