'use strict';
// The transport's two promises through the Node binding: a POST the server read on a
// reused keep-alive connection before hanging up without an answer is never sent again
// (exactly one arrives, the promise rejects with code "connection"), and a GET whose
// body is cut after the headers starts over as long as nothing was handed out.

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
  ({ fake, client } = await startWithClient({ retryWaitMin: 10, retryWaitMax: 50 }));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-once-'));
});
after(async () => {
  await stopWithClient({ fake, client });
  fs.rmSync(dir, { recursive: true, force: true });
});

const WS = '/api/v1/ws/1';
const POSTS = [
  ['startJobRun', (c) => c.startJobRun(42), `${WS}/jobs/42/runs`],
  ['deliverJobRunEntries', (c) => c.deliverJobRunEntries(42, 7), `${WS}/jobs/42/runs/7/deliver`],
  ['startReportExport', (c) => c.startReportExport(160, {}), `${WS}/reports/160/export`],
  ['pushTemporaryData', (c) => c.pushTemporaryData({ a: 1 }), `${WS}/temporary-data`],
  ['createAuthToken', (c) => c.createAuthToken(), '/api/v1/nonce-tokens'],
  ['postPdf', (c) => c.postPdf(160, {}), `${WS}/reports/160/pdf`],
  ['getRunReviewDocument', (c) => c.getRunReviewDocument(42, 7), `${WS}/jobs/42/runs/7/generate-review-document`],
];

async function arrivals(method, p) {
  return (await fake.requests()).filter((r) => r.method === method && r.path === p).length;
}

for (const [name, call, p] of POSTS) {
  test(`${name} reaches a server that hangs up exactly once and rejects with "connection"`, async () => {
    await fake.reset();
    await client.getWorkspaces(); // leaves a keep-alive connection for the POST to reuse
    await fake.inject('POST', p, [{ hangup: true }]);
    await assert.rejects(call(client), (err) => {
      assert.ok(err instanceof cx.CxReportsError);
      assert.equal(err.code, 'connection');
      assert.ok(!err.message.includes(fake.token));
      return true;
    });
    assert.equal(await arrivals('POST', p), 1);
  });
}

for (const fault of ['drop_mid_body', 'truncate']) {
  test(`a GET cut after its headers (${fault}) starts over: JSON, Buffer, file`, async () => {
    const pdfPath = `${WS}/reports/160/pdf`;
    const big = { params: { fakeSizeBytes: 1 << 20 } };
    const want = await client.getPdf(160, big);
    await fake.reset();

    await fake.inject('GET', '/api/v1/workspaces', [{ [fault]: true }]);
    assert.ok((await client.getWorkspaces()).length > 0);
    assert.equal(await arrivals('GET', '/api/v1/workspaces'), 2);

    await fake.inject('GET', pdfPath, [{ [fault]: true }, { [fault]: true }]);
    assert.deepEqual(await client.getPdf(160, big), want);
    assert.equal(await arrivals('GET', pdfPath), 3);

    const sub = fs.mkdtempSync(path.join(dir, 'save-'));
    const target = path.join(sub, 'r.pdf');
    await fake.inject('GET', pdfPath, [{ [fault]: true }]);
    const res = await client.savePdf(160, target, big);
    assert.equal(res.bytes, want.length);
    assert.deepEqual(fs.readFileSync(target), want);
    assert.deepEqual(fs.readdirSync(sub), ['r.pdf'], 'a temporary file was left behind');
  });
}
