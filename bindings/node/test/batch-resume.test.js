'use strict';
// renderBatch across runs and within one: an item whose output is an earlier item's file
// fails before anything is sent for it, naming both; a batch killed with SIGKILL leaves
// its temporaries behind, and a rerun removes exactly those (not look-alikes in another
// folder), renders only what is missing and leaves every file complete.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { useFakeClient } = require('./fake');
const { cx, PKG_DIR } = require('./pkg');

const env = useFakeClient({ tmp: 'batch-resume' });

const PDF = '/api/v1/ws/1/reports/160/pdf';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pdfPosts = async () => (await env.fake.requests()).filter((q) => q.method === 'POST' && q.path === PDF);
// The fake writes params into the PDF uncompressed, so a marker is found in its bytes.
const pdfText = (file) => fs.readFileSync(file).toString('latin1');

async function collect(items, opts) {
  const got = [];
  const progress = [];
  for await (const r of env.client.renderBatch(items, { ...opts, onProgress: (p) => progress.push(p) })) got[r.index] = r;
  return { got, last: progress[progress.length - 1] };
}

test('an item writing an earlier item\'s file fails with invalid_input naming both, and nothing is sent for it', async () => {
  const outDir = fs.mkdtempSync(path.join(env.dir, 'dup-'));
  await env.fake.reset();
  const { got, last } = await collect(
    [
      { report: 160, output: 'same.pdf', params: { invoice: 'FIRST-0000' } },
      // The same file once the path is cleaned; x/ need not exist.
      { report: 160, output: './x/../same.pdf', params: { invoice: 'SECOND-0001' } },
    ],
    { outDir },
  );
  assert.equal(got[0].status, 'ok', JSON.stringify(got[0]));
  assert.equal(got[1].status, 'failed');
  assert.ok(got[1].error instanceof cx.CxReportsError, String(got[1].error));
  assert.equal(got[1].error.code, 'invalid_input');
  assert.match(got[1].error.message, /\bitem 1\b/);
  assert.match(got[1].error.message, /\bitem 0\b/);
  assert.deepEqual([last.ok, last.failed, last.total], [1, 1, 2]);

  const posts = await pdfPosts();
  assert.equal(posts.length, 1, 'one render sent: the first item\'s');
  assert.ok(posts[0].body.includes('FIRST-0000'), posts[0].body);
  const text = pdfText(path.join(outDir, 'same.pdf'));
  assert.ok(text.includes('FIRST-0000'), 'the file holds the first item\'s params');
  assert.ok(!text.includes('SECOND-0001'));
  assert.deepEqual(fs.readdirSync(outDir), ['same.pdf']);
});

test('the duplicate message names indices in items, also when an earlier item was unreadable', async () => {
  const outDir = fs.mkdtempSync(path.join(env.dir, 'dup2-'));
  await env.fake.reset();
  const { got } = await collect(
    [
      { output: 'no-report.pdf' }, // fails on its own, before the core numbers the items
      { report: 160, output: 'a/b.pdf', params: { invoice: 'FIRST-0001' } },
      { report: 160, output: 'a//b.pdf', params: { invoice: 'SECOND-0002' } },
    ],
    { outDir },
  );
  assert.deepEqual(got.map((r) => r.status), ['failed', 'ok', 'failed']);
  assert.equal(got[2].error.code, 'invalid_input');
  assert.match(got[2].error.message, /\bitem 2\b.*\bitem 1\b/s);
  assert.equal((await pdfPosts()).length, 1);
  assert.ok(pdfText(path.join(outDir, 'a', 'b.pdf')).includes('FIRST-0001'));
});

// --- SIGKILL mid-batch, then a rerun -----------------------------------------------------

const N = 12;
const FAST = 4;
const name = (i) => `a${String(i).padStart(2, '0')}.pdf`;
const invoice = (i) => `INV-${String(i).padStart(4, '0')}`;
const resumeItems = (slow) =>
  Array.from({ length: N }, (_, i) => ({
    report: 160,
    output: name(i),
    params: slow && i >= FAST ? { invoice: invoice(i), fakeDelayMs: 60000 } : { invoice: invoice(i) },
  }));

// The killed process: a batch with exactly 6 renders in flight, printing each result.
const CHILD = `
const cx = require(process.env.PKG_DIR);
const a = JSON.parse(process.env.BATCH);
const client = new cx.CxReportsClient({ baseUrl: a.url, token: a.token, defaultWorkspaceId: a.ws });
(async () => {
  for await (const r of client.renderBatch(a.items, { outDir: a.outDir, concurrency: 6 })) {
    process.stdout.write(JSON.stringify({ index: r.index, status: r.status }) + '\\n');
  }
})().catch((e) => { console.error(e); process.exit(3); });
`;

/** names, sizes and mtimes of a folder's files (a folder: its name only, as its mtime moves with its entries). */
function listing(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => {
      if (e.isDirectory()) return { name: e.name, dir: true };
      const st = fs.statSync(path.join(dir, e.name));
      return { name: e.name, size: st.size, mtimeMs: st.mtimeMs };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
}

test('a batch killed with SIGKILL leaves 6 temporaries; the rerun removes them, renders the 8 missing files and nothing else', { timeout: 120000 }, async () => {
  const parent = fs.mkdtempSync(path.join(env.dir, 'kill-'));
  const outDir = path.join(parent, 'out');
  fs.mkdirSync(outDir);
  await env.fake.reset();

  const child = spawn(process.execPath, ['-e', CHILD], {
    env: {
      ...process.env,
      PKG_DIR,
      BATCH: JSON.stringify({ url: env.fake.url, token: env.fake.token, ws: env.fake.workspaceId, outDir, items: resumeItems(true) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let childOut = '';
  child.stdout.on('data', (d) => (childOut += d));
  child.stderr.on('data', (d) => (childOut += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    // 4 fast files written and 6 slow renders held by the server: the batch is full.
    const outputs = () => fs.readdirSync(outDir).filter((f) => !f.startsWith('.'));
    let stats;
    for (let i = 0; i < 3000; i++) {
      stats = await env.fake.stats();
      if (stats.renders_in_flight === 6 && outputs().length === FAST) break;
      if (child.exitCode !== null) break;
      await sleep(10);
    }
    assert.equal(stats.renders_in_flight, 6, `the child never had 6 renders in flight:\n${childOut}`);
    assert.deepEqual(outputs().sort(), [0, 1, 2, 3].map(name), childOut);
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  }
  assert.deepEqual(await exited, { code: null, signal: 'SIGKILL' }, childOut);

  // Each slow render in flight left its temporary; the 2 items never started left none.
  const temps = fs.readdirSync(outDir).filter((f) => f.startsWith('.'));
  assert.equal(temps.length, 6, temps.join(', '));
  for (const t of temps) assert.match(t, /^\.a0[4-9]\.pdf\.[0-9]+\.part$/);
  assert.deepEqual(new Set(temps.map((t) => t.split('.')[1])).size, 6);

  // Look-alikes one folder up: not beside any output, so not the batch's to remove.
  fs.writeFileSync(path.join(parent, '.a00.pdf.123.part'), 'decoy temporary');
  fs.writeFileSync(path.join(parent, 'a00.pdf'), 'decoy output');
  const old = new Date('2020-01-02T03:04:05Z');
  for (const f of ['.a00.pdf.123.part', 'a00.pdf']) fs.utimesSync(path.join(parent, f), old, old);
  const before = listing(parent);

  // The server lets go of the killed renders once it sees their connections closed.
  for (let i = 0; i < 1000 && (await env.fake.stats()).renders_in_flight > 0; i++) await sleep(10);
  await env.fake.reset();
  const { got, last } = await collect(resumeItems(false), { outDir });

  assert.deepEqual(got.map((r) => r.status), [...Array(FAST).fill('skipped'), ...Array(N - FAST).fill('ok')], JSON.stringify(got));
  assert.deepEqual(got.map((r) => r.removedTemps), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0]);
  assert.equal(got.reduce((s, r) => s + r.removedTemps, 0), 6);
  assert.equal(last.removedTemps, 6);
  assert.deepEqual([last.ok, last.skipped, last.failed, last.total], [8, 4, 0, 12]);

  const posts = await pdfPosts();
  assert.equal(posts.length, 8, 'only the missing files are rendered');
  assert.deepEqual(posts.map((q) => JSON.parse(q.body).params.invoice).sort(), [4, 5, 6, 7, 8, 9, 10, 11].map(invoice));

  assert.deepEqual(fs.readdirSync(outDir).sort(), [...Array(N).keys()].map(name), 'no dot-file left');
  for (let i = 0; i < N; i++) {
    const text = pdfText(path.join(outDir, name(i)));
    assert.ok(text.startsWith('%PDF-') && /%%EOF\s*$/.test(text), `${name(i)} is complete`);
    assert.ok(text.includes(invoice(i)), `${name(i)} carries its own params`);
    for (let j = 0; j < N; j++) if (j !== i) assert.ok(!text.includes(invoice(j)), `${name(i)} carries ${invoice(j)}`);
  }

  assert.deepEqual(listing(parent), before, 'the parent folder is untouched');
  assert.equal(fs.readFileSync(path.join(parent, '.a00.pdf.123.part'), 'utf8'), 'decoy temporary');
  assert.equal(fs.readFileSync(path.join(parent, 'a00.pdf'), 'utf8'), 'decoy output');
});
