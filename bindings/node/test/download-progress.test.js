'use strict';
// onProgress on the downloads: getPdf, postPdf, getExportContent (Buffer) and savePdf,
// savePostPdf, saveExportContent (file).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useFakeClient } = require('./fake');

const SIZE = 2000000;
const big = { params: { fakeSizeBytes: SIZE } };

let tempFileId;
const env = useFakeClient({
  tmp: 'progress',
  async setup({ client }) {
    tempFileId = (await client.startReportExport(160, big)).temporaryFileId;
    await client.waitForExport(tempFileId, { pollInterval: 50 });
  },
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
    getPdf: (onProgress) => env.client.getPdf(160, big, { onProgress }),
    postPdf: (onProgress) => env.client.postPdf(160, big, { onProgress }),
    getExportContent: (onProgress) => env.client.getExportContent(tempFileId, { onProgress }),
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
    savePdf: (file, onProgress) => env.client.savePdf(160, file, big, { onProgress }),
    savePostPdf: (file, onProgress) => env.client.savePostPdf(160, file, big, { onProgress }),
    saveExportContent: (file, onProgress) => env.client.saveExportContent(tempFileId, file, { onProgress }),
  };
  for (const [name, call] of Object.entries(calls)) {
    const file = path.join(env.dir, `${name}.pdf`);
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
    const d = await env.client.savePdf(160, path.join(env.dir, 'throws.pdf'), big, {
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
  await assert.rejects(env.client.getPdf(160, null, { onProgress: 'yes' }), { code: 'invalid_argument', message: /getPdf: onProgress must be a function/ });
});
