'use strict';
// openPdf, openPostPdf, openExportContent: downloads as Readable streams, read at the
// consumer's pace with flat memory; destroy() and the signal cancel the download.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { pipeline } = require('node:stream/promises');
const { Writable } = require('node:stream');
const { useFakeClient } = require('./fake');
const { cx } = require('./pkg');

const env = useFakeClient();
const sized = (n) => ({ params: { fakeSizeBytes: n } });
const pdfPath = () => `/api/v1/ws/${env.fake.workspaceId}/reports/160/pdf`;

async function noneInFlight(fake) {
  const deadline = Date.now() + 2000;
  while ((await fake.stats()).in_flight !== 0) {
    assert.ok(Date.now() < deadline, 'the fake still serves the stream\'s request 2 s after it was destroyed');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('openPdf gives the bytes of getPdf, with the headers first', async () => {
  const { client } = env;
  const want = await client.getPdf(160, sized(3_000_000), { theme: 'dark' });
  const s = await client.openPdf(160, sized(3_000_000), { theme: 'dark' });
  assert.ok(s instanceof cx.ReportStream);
  assert.equal(s.contentType, 'application/pdf');
  assert.equal(s.length, want.length);
  assert.match(s.filename, /\.pdf$/);
  const chunks = [];
  for await (const chunk of s) chunks.push(chunk);
  assert.ok(Buffer.concat(chunks).equals(want));
});

test('openPostPdf and openExportContent', async () => {
  const { client } = env;
  const body = { params: { fakeSizeBytes: 500_000 } };
  const want = await client.postPdf(160, body);
  const chunks = [];
  await pipeline(await client.openPostPdf(160, body), new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  }));
  assert.equal(Buffer.concat(chunks).length, want.length);
  const { temporaryFileId } = await client.startReportExport(160, { format: 'docx' });
  await client.waitForExport(temporaryFileId, { pollInterval: 50 });
  const content = await client.getExportContent(temporaryFileId);
  const s = await client.openExportContent(temporaryFileId);
  const got = [];
  for await (const chunk of s) got.push(chunk);
  assert.ok(Buffer.concat(got).equals(content));
});

test('200 MB through for await keeps RSS flat', async () => {
  const { client } = env;
  const s = await client.openPdf(160, sized(200 * 1024 * 1024));
  let n = 0;
  for await (const chunk of s) n += chunk.length;
  const peakMB = process.resourceUsage().maxRSS / 1024;
  console.log(`openPdf of ${n} bytes: peak RSS ${peakMB.toFixed(1)} MB`);
  assert.equal(n, s.length);
  assert.ok(peakMB < 150, `peak RSS ${peakMB.toFixed(1)} MB`);
});

test('destroy() and the signal cancel the download', async () => {
  const { client, fake } = env;
  const s = await client.openPdf(160, sized(200 * 1024 * 1024));
  for await (const chunk of s) {
    assert.ok(chunk.length > 0);
    break; // leaving the loop destroys the stream
  }
  assert.ok(s.destroyed);
  await noneInFlight(fake);

  const ac = new AbortController();
  const t = await client.openPdf(160, sized(200 * 1024 * 1024), { signal: ac.signal });
  const seen = [];
  await assert.rejects(
    (async () => {
      for await (const chunk of t) {
        seen.push(chunk.length);
        ac.abort();
      }
    })(),
    (err) => err.name === 'AbortError',
  );
  assert.ok(seen.length >= 1);
  await noneInFlight(fake);

  const aborted = AbortSignal.abort();
  await assert.rejects(client.openPdf(160, null, { signal: aborted }), (err) => err.name === 'AbortError');
});

test('errors: the library codes, and a cut after bytes is never restarted', async () => {
  const { client, fake } = env;
  await assert.rejects(client.openPdf(999999), (err) => err.code === 'not_found');
  await assert.rejects(client.openPdf(160, null, { bogus: 1 }), (err) => err.code === 'invalid_argument');
  await fake.reset();
  await fake.inject('GET', pdfPath(), [{ drop_mid_body: true }]);
  const s = await client.openPdf(160, sized(4_000_000));
  let got = 0;
  await assert.rejects(
    (async () => {
      for await (const chunk of s) got += chunk.length;
    })(),
    (err) => err.code === 'connection',
  );
  assert.ok(got > 0 && got < s.length);
  const gets = (await fake.requests()).filter((r) => (r.path ?? r.Path) === pdfPath());
  assert.equal(gets.length, 1);
});
