'use strict';
// The export, temporary-data, preview and job flows against the fake with integer
// ids and with GUID ids (as a .NET server sends them): every id comes back in the
// server's type and goes back unchanged.

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startFake } = require('./fake');
const { cx } = require('./pkg');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-ids-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const style of ['int', 'guid']) {
  test(`flows with ${style} ids`, async () => {
    const fake = await startFake(['-ids', style, '-export-delay', '50ms', '-job-delay', '50ms']);
    const client = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: fake.workspaceId });
    const idType = style === 'int' ? 'number' : 'string';
    try {
      const { temporaryFileId: tf } = await client.startReportExport(160);
      assert.equal(typeof tf, idType);
      assert.equal((await client.waitForExport(tf, { pollInterval: 20 })).id, tf);
      assert.equal((await client.getExportContent(tf)).subarray(0, 5).toString('latin1'), '%PDF-');
      const saved = await client.exportToFile(160, path.join(dir, `${style}.pdf`), {}, { pollInterval: 20 });
      assert.equal(typeof saved.temporaryFileId, idType);

      const { tempDataId: td } = await client.pushTemporaryData({ rows: [1, 2] });
      assert.equal(typeof td, idType);
      assert.equal((await client.getPdf(160, { tempDataId: td })).subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal((await client.postPdf(160, { tempDataId: td })).subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match(await client.getPreviewUrl(160, null, { data: { x: 1 } }), /tempDataId=/);

      const { jobRunId: run } = await client.startJobRun('monthly');
      assert.equal(typeof run, idType);
      assert.equal((await client.waitForJobRun('monthly', run, { pollInterval: 20 })).finished, true);
      const review = await client.getRunReviewDocument('monthly', run);
      await client.waitForExport(review.temporaryFileId, { pollInterval: 20 });
      await client.deliverJobRunEntries('monthly', run);
      assert.deepEqual((await fake.stats()).deliveries, { [String(run)]: 1 });
    } finally {
      await client.close();
      await fake.stop();
    }
  });
}
