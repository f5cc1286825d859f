'use strict';
// Jobs: start a run, read and wait for its status, the review document, delivery.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startWithClient, stopWithClient } = require('./fake');
const { cx } = require('./pkg');

let fake;
let client;
before(async () => ({ fake, client } = await startWithClient())); // job runs stay queued for 300 ms
after(() => stopWithClient({ fake, client }));

test('a job run from start to delivery', async () => {
  const run = await client.startJobRun(42, { params: { month: '2026-10' } });
  assert.ok(run.jobRunId !== undefined);
  const status = await client.getJobRunStatus(42, run.jobRunId);
  assert.equal(typeof status.finished, 'boolean');

  const events = [];
  const done = await client.waitForJobRun('monthly', run.jobRunId, { pollInterval: 50, onProgress: (e) => events.push(e) });
  assert.equal(done.finished, true);
  assert.ok(events.some((e) => e.stage === 'waiting'));

  const review = await client.getRunReviewDocument(42, run.jobRunId);
  assert.ok(review.temporaryFileId !== undefined);
  const doc = await client.waitForExport(review.temporaryFileId, { pollInterval: 50 });
  assert.equal(doc.status, 'Completed');

  assert.equal(await client.deliverJobRunEntries(42, run.jobRunId), undefined);
  const stats = await fake.stats();
  assert.equal(stats.deliveries[String(run.jobRunId)], 1);
  assert.equal(stats.job_run_starts, 1);
});

test('an unknown run is a NotFoundError', async () => {
  await assert.rejects(client.getJobRunStatus(42, 999999), cx.NotFoundError);
});
