'use strict';
// renderBatch's concurrency: 'auto' (the default) or a positive integer, anything else
// refused before a request; and 'auto' against a server that serves only K renders at
// once (cxfake -render-slots K) finishes about as fast as exactly K would, with few
// refusals. The time bound is the feature here: "ideal" is the larger of n x 100 ms / K
// and what concurrency K took on the same fake just before, so a loaded machine slows
// both alike.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { startWithClient, stopWithClient } = require('./fake');
const { cx } = require('./pkg');

const PDF = '/api/v1/ws/1/reports/160/pdf';
let root;
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-batch-auto-'));
});
after(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const items = (n, params = {}) =>
  Array.from({ length: n }, (_, i) => ({ report: 160, output: `r${i}.pdf`, params: { invoice: `INV-${String(i).padStart(4, '0')}`, ...params } }));

/** Runs a batch into a fresh folder on a reset fake: its time, results, last progress, stats and pdf requests. */
async function run({ fake, client }, list, opts) {
  await fake.reset();
  const outDir = fs.mkdtempSync(path.join(root, 'out-'));
  const got = [];
  let last = null;
  const t0 = performance.now();
  for await (const r of client.renderBatch(list, { ...opts, outDir, onProgress: (p) => (last = p) })) got.push(r);
  const seconds = (performance.now() - t0) / 1000;
  const posts = (await fake.requests()).filter((q) => q.method === 'POST' && q.path === PDF);
  return { seconds, got, last, stats: await fake.stats(), posts, outDir };
}

test("concurrency 'auto', by name or by default, renders every item", async () => {
  const env = await startWithClient();
  try {
    for (const opts of [{ concurrency: 'auto' }, {}]) {
      const { got, last, posts } = await run(env, items(5), opts);
      assert.deepEqual(got.map((r) => r.status), Array(5).fill('ok'), JSON.stringify(opts));
      assert.equal(posts.length, 5);
      assert.ok(last.limit >= 2, `auto starts at 2 renders in flight, reported ${last.limit}`);
    }
    const { last } = await run(env, items(3), { concurrency: 3 });
    assert.equal(last.limit, 3, 'a number is exactly that many');
  } finally {
    await stopWithClient(env);
  }
});

test("concurrency 'fast', 0 and other non-positive or non-integer values are invalid_argument before any request", async () => {
  const env = await startWithClient();
  try {
    for (const concurrency of ['fast', 0, -1, 1.5, true, 'AUTO', '2']) {
      await env.fake.reset();
      const outDir = fs.mkdtempSync(path.join(root, 'bad-'));
      await assert.rejects(
        async () => {
          for await (const r of env.client.renderBatch(items(2), { outDir, concurrency })) assert.fail(`a result for ${JSON.stringify(concurrency)}: ${JSON.stringify(r)}`);
        },
        (err) => {
          assert.ok(err instanceof cx.CxReportsError, String(err));
          assert.equal(err.code, 'invalid_argument');
          // In the caller's terms: renderBatch and concurrency, not render_batch.
          assert.match(err.message, /^renderBatch: .*"concurrency".*"auto"/, err.message);
          return true;
        },
        JSON.stringify(concurrency),
      );
      assert.equal((await env.fake.requests()).length, 0, `nothing sent for ${JSON.stringify(concurrency)}`);
      assert.deepEqual(fs.readdirSync(outDir), []);
    }
  } finally {
    await stopWithClient(env);
  }
});

for (const [K, n] of [
  [2, 60],
  [24, 240],
]) {
  test(`'auto' against ${K} render slots: ${n} renders of 100 ms within 1.3 x ideal + 0.5 s, at most 10% refused`, { timeout: 180000 }, async (t) => {
    const env = await startWithClient({}, ['-render-slots', String(K)]);
    try {
      const list = items(n, { fakeDelayMs: 100 });
      const check = (r, what) => {
        assert.equal(r.got.length, n, what);
        assert.ok(r.got.every((x) => x.status === 'ok'), `${what}: ${JSON.stringify(r.got.find((x) => x.status !== 'ok'))}`);
        assert.equal(fs.readdirSync(r.outDir).length, n, `${what}: every file, and no temporary, in the folder`);
        assert.ok(r.stats.peak_renders <= K, `${what}: peak_renders ${r.stats.peak_renders} > ${K}`);
      };

      const fixed = await run(env, list, { concurrency: K });
      check(fixed, `concurrency ${K}`);
      assert.equal(fixed.stats.render_refusals, 0, `concurrency ${K} was refused`);
      assert.equal(fixed.posts.length, n);
      assert.equal(fixed.last.limit, K);

      const auto = await run(env, list, { concurrency: 'auto' });
      check(auto, 'auto');
      const refused = Math.max(auto.stats.render_refusals, auto.posts.filter((q) => q.status === 429).length);
      assert.equal(auto.posts.length, n + refused, 'every refusal was sent again, and nothing else');
      const ideal = Math.max((n * 0.1) / K, fixed.seconds);
      const bound = 1.3 * ideal + 0.5;
      const what = `auto: ${auto.seconds.toFixed(2)} s (concurrency ${K}: ${fixed.seconds.toFixed(2)} s, bound ${bound.toFixed(2)} s), ` +
        `${refused} of ${auto.posts.length} renders refused, peak ${auto.stats.peak_renders}, last limit ${auto.last.limit}`;
      t.diagnostic(what);
      assert.ok(refused <= 0.1 * auto.posts.length, what);
      assert.ok(auto.seconds <= bound, what);
    } finally {
      await stopWithClient(env);
    }
  });
}
