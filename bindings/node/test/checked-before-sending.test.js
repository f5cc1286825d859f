'use strict';
// Inputs that cannot work fail before anything reaches the server: an unwritable
// destination (a render or an export costs the server), a query too long for a URL,
// text that would reach the server changed.

const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startWithClient, stopWithClient } = require('./fake');

let fake;
let client;
let dir;
before(async () => {
  ({ fake, client } = await startWithClient({ maxRetries: 0 }));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-checked-'));
  fs.writeFileSync(path.join(dir, 'file'), 'x');
});
after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await stopWithClient({ fake, client });
});
beforeEach(() => fake.reset());

async function apiRequests() {
  return (await fake.requests()).filter((r) => !(r.path || r.Path || '').startsWith('/_fake'));
}

const SAVES = {
  savePdf: (p) => client.savePdf(160, p),
  savePostPdf: (p) => client.savePostPdf(160, p),
  saveExportContent: (p) => client.saveExportContent(1, p),
  exportToFile: (p) => client.exportToFile(160, p, {}, { pollInterval: 10 }),
};

for (const [name, save] of Object.entries(SAVES)) {
  test(`${name} into an unwritable place fails with io_error and sends nothing`, async () => {
    for (const target of [path.join(dir, 'missing', 'out.pdf'), path.join(dir, 'file', 'out.pdf')]) {
      await assert.rejects(save(target), (err) => {
        assert.equal(err.code, 'io_error');
        assert.match(err.message, /Check that the directory exists and is writable/);
        return true;
      });
    }
    assert.deepEqual(await apiRequests(), []);
    assert.deepEqual(fs.readdirSync(dir), ['file']);
  });
}

const BIG = 'x'.repeat(70_000);
const LONG = {
  getPdf: () => client.getPdf(160, { params: { title: BIG } }),
  savePdf: () => client.savePdf(160, path.join(dir, 'never.pdf'), { lang: BIG }),
  getPdfUrl: () => client.getPdfUrl(160, { lang: BIG }),
  getPreviewUrl: () => client.getPreviewUrl(160, { lang: BIG }),
  'getPreviewUrl with data': () => client.getPreviewUrl(160, { lang: BIG }, { data: { a: 1 } }),
};

for (const [name, call] of Object.entries(LONG)) {
  test(`${name}: a query too long for a URL is refused before sending`, async () => {
    await assert.rejects(call(), (err) => {
      assert.equal(err.code, 'invalid_input');
      assert.match(err.message, /65536 bytes/);
      assert.match(err.message, /nothing was sent/);
      assert.match(err.message, /postPdf.*pushTemporaryData/);
      return true;
    });
    assert.deepEqual(await apiRequests(), []);
  });
}

test('a 20 MB value is refused before sending; one under the limit is sent', async () => {
  await assert.rejects(client.getPdf(160, { lang: 'y'.repeat(20 << 20) }), { code: 'invalid_input' });
  assert.deepEqual(await apiRequests(), []);
  const pdf = await client.getPdf(160, { lang: 'z'.repeat(60_000) });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
});

test('half a surrogate pair is refused, never sent as U+FFFD', async () => {
  await assert.rejects(client.getReportPages('\ud800'), (err) => {
    assert.equal(err.code, 'invalid_argument');
    assert.match(err.message, /^getReportPages: .*surrogate.*nothing was sent/);
    return true;
  });
  await assert.rejects(client.getPdf(160, { lang: 'a\udfffb' }), { code: 'invalid_argument' });
  assert.deepEqual(await apiRequests(), []);
});
