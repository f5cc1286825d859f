'use strict';
// worker_threads: a worker that ends (terminate(), process.exit() inside it, or simply
// finishing) takes its calls, its open streams and its log handler with it, and the
// process carries on.
// Each scenario runs in a child process of its own, so a crash (SIGABRT, SIGSEGV) fails
// the test with the child's exit status instead of killing the test runner.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startFake } = require('./fake');
const { runNode } = require('./pkg');

let fake;
let slowFake; // bandwidth-capped, so a big download is still running when the worker exits
before(async () => {
  fake = await startFake();
  slowFake = await startFake(['-bandwidth', '200mbit']);
});
after(async () => {
  await fake.stop();
  await slowFake.stop();
});

// Helpers every child script starts with: the package, a client factory, the fake's
// stats, a poll loop.
const PRELUDE = `
  const { Worker } = require('node:worker_threads');
  const { once } = require('node:events');
  const cx = require(process.env.PKG);
  const newClient = (url = process.env.URL_, token = process.env.TOKEN) =>
    new cx.CxReportsClient({ baseUrl: url, token, defaultWorkspaceId: 1, maxRetries: 0 });
  const control = async (p, init) => (await fetch(process.env.URL_ + p, init)).json();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // Polls fn until it holds. The bound is generous, there only so that a hang names what
  // it waited for before runChild's guard kills the child; no test here measures speed.
  async function until(what, fn, ms = 50000) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await fn()) return;
      await sleep(10);
    }
    throw new Error('timed out waiting until ' + what);
  }
  const workerData = { pkg: process.env.PKG, url: process.env.URL_, token: process.env.TOKEN, dir: process.env.DIR };
  // A worker running src, with workerData as above and newClient as above; w.exited
  // resolves with its exit code (listened for at once, so an early exit is not missed).
  const worker = (src) => {
    const w = new Worker(
      "const { parentPort, workerData } = require('node:worker_threads');" +
      "const cx = require(workerData.pkg);" +
      "const newClient = (url = workerData.url) => new cx.CxReportsClient({ baseUrl: url, token: workerData.token, defaultWorkspaceId: 1, maxRetries: 0 });" +
      src,
      { eval: true, workerData },
    );
    w.exited = once(w, 'exit').then(([code]) => code);
    return w;
  };
`;

function runChild(source, { url = fake.url, token = fake.token, dir = '', guardMs = 60000 } = {}) {
  return runNode(PRELUDE + source, { URL_: url, TOKEN: token, DIR: dir }, guardMs);
}

/** Asserts the child exited normally and returns the JSON of its last stdout line. */
function result(r) {
  assert.equal(r.signal, null, `the child died of ${r.signal}; stderr: ${r.err}`);
  assert.equal(r.code, 0, `the child exited with ${r.code}; stderr: ${r.err}`);
  const last = r.out.trim().split('\n').pop();
  assert.ok(last, `the child printed no result; stderr: ${r.err}`);
  return JSON.parse(last);
}

test('terminate() with calls in flight cancels them; the process carries on making calls', async () => {
  await fake.reset();
  const r = await runChild(`
    (async () => {
      const w = worker(\`
        const c = newClient();
        // Renders the fake holds for an hour (its maximum) unless the client goes away,
        // with progress, and a stream of quick calls, so results and progress events
        // keep arriving when it ends.
        for (let i = 0; i < 6; i++) c.getPdf(160, { params: { fakeDelayMs: 3600000 } }, { onProgress: () => {} }).catch(() => {});
        (async () => { for (;;) await c.getPdf(160, { params: { fakeSizeBytes: 200000 } }, { onProgress: () => {} }); })().catch(() => {});
        parentPort.postMessage('started');
      \`);
      await once(w, 'message');
      await until('the 6 slow renders are in flight', async () => (await control('/_fake/stats')).in_flight >= 6);
      await w.terminate();
      // The library cancels the worker's calls: nothing but the cancel can end the slow
      // renders, so the fake's in-flight count reaching 0 is the proof (how fast is not
      // what this test is about).
      await until('nothing is in flight', async () => (await control('/_fake/stats')).in_flight === 0);
      // Main keeps calling after the worker is gone.
      const c = newClient();
      let calls = 0;
      for (; calls < 10; calls++) {
        await c.getWorkspaces();
        await c.getPdf(160, null, { onProgress: () => {} });
      }
      await c.close();
      const params = (q) => Buffer.from(decodeURIComponent(q.raw_query.replace(/^params=/, '')), 'base64').toString();
      const slow = (await control('/_fake/requests')).filter((q) => params(q).includes('fakeDelayMs'));
      console.log(JSON.stringify({ calls, slow: slow.length, answered: slow.filter((q) => q.status !== 0).length }));
    })();
  `);
  const res = result(r);
  assert.equal(res.calls, 10, 'main made calls after the worker was terminated');
  assert.equal(res.slow, 6);
  assert.equal(res.answered, 0, 'the fake never answered the canceled renders');
});

test('terminate() while results stream in, many times over, never crashes', async () => {
  const r = await runChild(`
    (async () => {
      for (let round = 0; round < 8; round++) {
        const w = worker(\`
          const c = newClient();
          for (let k = 0; k < 4; k++) (async () => { for (;;) await c.getWorkspaces(); })().catch(() => {});
          (async () => { for (;;) await c.getPdf(160, { params: { fakeSizeBytes: 300000 } }, { onProgress: () => {} }); })().catch(() => {});
          cx.setLogHandler(() => {}, { level: 'debug' });
          setTimeout(() => parentPort.postMessage('busy'), 50);
        \`);
        await once(w, 'message');
        await sleep(round * 7); // varies the moment of terminate() between rounds; nothing waits on it
        await w.terminate();
      }
      const c = newClient();
      const lines = [];
      cx.setLogHandler((level, m) => lines.push(m), { level: 'debug' });
      for (let i = 0; i < 20; i++) await c.getWorkspaces();
      await c.close();
      // Log lines reach the handler through the thread's inbox, after the calls resolve.
      await until("main's handler has its lines", () => lines.length > 0);
      cx.setLogHandler(null);
      console.log(JSON.stringify({ ok: true, mainLogLines: lines.length > 0 }));
    })();
  `);
  assert.deepEqual(result(r), { ok: true, mainLogLines: true });
});

test("a worker's log handler ends with the worker; main's own handler keeps working", async () => {
  const r = await runChild(`
    (async () => {
      const mainLines = [];
      cx.setLogHandler((level, m) => mainLines.push(m), { level: 'debug' });
      const w = worker(\`
        const lines = [];
        cx.setLogHandler((level, m) => lines.push(m), { level: 'debug' });
        const c = newClient();
        // Log lines reach the handler through the thread's inbox, after the call resolves:
        // report once they have arrived. The worker ends with its handler still set, and
        // without close().
        c.getWorkspaces().then(() => {
          const t = setInterval(() => { if (lines.length > 0) { clearInterval(t); parentPort.postMessage(lines.length); } }, 10);
        });
      \`);
      const [workerLines] = await once(w, 'message');
      await w.exited;
      const beforeMain = mainLines.length;
      // Main's calls log (a retried 503 logs at debug and warn) after the worker is gone.
      const c = newClient();
      const c2 = new cx.CxReportsClient({ baseUrl: process.env.URL_, token: process.env.TOKEN, defaultWorkspaceId: 1, retryWaitMin: 10, retryWaitMax: 20 });
      await control('/_fake/faults', { method: 'POST', body: JSON.stringify({ method: 'GET', path: '/api/v1/workspaces', faults: [{ status: 503 }] }) });
      await c2.getWorkspaces();
      for (let i = 0; i < 10; i++) await c.getWorkspaces();
      await until("main's handler has the lines of main's calls", () => mainLines.length > beforeMain);
      await c.close();
      await c2.close();
      cx.setLogHandler(null);
      console.log(JSON.stringify({ workerLines, mainLinesWhileWorkerRan: beforeMain, mainLinesAfter: mainLines.length - beforeMain }));
    })();
  `);
  const res = result(r);
  assert.ok(res.workerLines > 0, 'the worker received the log lines of its own client');
  assert.equal(res.mainLinesWhileWorkerRan, 0, "the worker's client logged to the worker's handler only");
  assert.ok(res.mainLinesAfter > 0, "main's handler receives its clients' lines after the worker is gone");
});

test('a worker that set a log handler exits; main calls without a handler of its own', async () => {
  const r = await runChild(`
    (async () => {
      const w = worker(\`
        cx.setLogHandler(() => {}, { level: 'debug' });
        newClient().getWorkspaces().then(() => parentPort.postMessage('done'));
      \`);
      await once(w, 'message');
      await w.exited;
      const c = newClient();
      for (let i = 0; i < 20; i++) await c.getWorkspaces();
      await c.close();
      console.log(JSON.stringify({ ok: true }));
    })();
  `);
  assert.deepEqual(result(r), { ok: true });
});

test('process.exit() inside a worker during savePdf: main survives, no .part file is left', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-node-workers-'));
  try {
    const r = await runChild(
      `
      (async () => {
        const w = worker(\`
          const c = newClient();
          const target = require('node:path').join(workerData.dir, 'big.pdf');
          c.savePdf(160, target, { params: { fakeSizeBytes: 500000000 } }, {
            onProgress: (e) => { if (e.bytesDone > 1000000) process.exit(3); },
          }).then(() => process.exit(4), () => process.exit(5));
        \`);
        const code = await w.exited;
        const c = newClient();
        await c.getWorkspaces();
        // The download is canceled and its temporary file removed, shortly.
        const fs = require('node:fs');
        let left = [];
        await until('no .part file is left', async () => (left = fs.readdirSync(process.env.DIR)).length === 0, 10000).catch(() => {});
        await c.close();
        console.log(JSON.stringify({ code, left }));
      })();
    `,
      { url: slowFake.url, token: slowFake.token, dir },
    );
    assert.deepEqual(result(r), { code: 3, left: [] });
    assert.deepEqual(fs.readdirSync(dir), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('two workers load the package at once and both work, as does main', async () => {
  const r = await runChild(`
    (async () => {
      const src = \`
        const c = newClient();
        Promise.all([c.getWorkspaces(), c.getPdf(160)]).then(async ([ws, pdf]) => {
          await c.close();
          parentPort.postMessage({ workspaces: ws.length, pdf: pdf.subarray(0, 5).toString() });
        });
      \`;
      const ws = [worker(src), worker(src)];
      const got = await Promise.all(ws.map((w) => once(w, 'message').then(([m]) => m)));
      await Promise.all(ws.map((w) => w.exited));
      const c = newClient();
      const main = (await c.getWorkspaces()).length;
      await c.close();
      console.log(JSON.stringify({ got, main }));
    })();
  `);
  assert.deepEqual(result(r), {
    got: [
      { workspaces: 3, pdf: '%PDF-' },
      { workspaces: 3, pdf: '%PDF-' },
    ],
    main: 3,
  });
});

// terminate() of a worker whose ReportStream (openPdf) is open: the worker's inbox ends
// with its thread, which closes the stream it owns and so cancels the download. The
// bandwidth-capped fake is still sending the 200 MB when the worker goes. mode
// 'reading': a for await loop is taking pieces; 'paused': the worker took one piece
// and paused the stream, so no read is in flight, only the open stream.
function terminateWhileStreaming(mode) {
  return runChild(
    `
    (async () => {
      const w = worker(\`
        // An open stream with no read in flight holds no handle on the worker's loop, so
        // a worker with nothing else to do would end by itself: only terminate() ends it.
        setInterval(() => {}, 1 << 30);
        const c = newClient();
        c.openPdf(160, { params: { fakeSizeBytes: 200 * 1024 * 1024 } }).then(async (s) => {
          let got = 0;
          if (${JSON.stringify(mode)} === 'paused') {
            s.once('data', (chunk) => {
              s.pause();
              parentPort.postMessage({ got: chunk.length, head: chunk.subarray(0, 5).toString() });
            });
            return;
          }
          let head = '';
          for await (const chunk of s) {
            if (!head) head = chunk.subarray(0, 5).toString();
            got += chunk.length;
            if (got >= 4 * 1024 * 1024 && got - chunk.length < 4 * 1024 * 1024) parentPort.postMessage({ got, head });
          }
          parentPort.postMessage({ finished: got });
        });
      \`);
      const [m] = await once(w, 'message');
      const inFlightBefore = (await control('/_fake/stats')).in_flight;
      const t0 = Date.now();
      const code = await w.terminate();
      await until('nothing is in flight', async () => (await control('/_fake/stats')).in_flight === 0, 20000);
      const idleMs = Date.now() - t0;
      // Main keeps working: calls, and a stream of its own read to the end.
      const c = newClient();
      for (let i = 0; i < 5; i++) await c.getWorkspaces();
      const s = await c.openPdf(160, { params: { fakeSizeBytes: 1000000 } });
      let mainBytes = 0;
      for await (const chunk of s) mainBytes += chunk.length;
      await c.close();
      console.log(JSON.stringify({ m, inFlightBefore, code, idleMs, mainBytes, mainLength: s.length }));
    })();
  `,
    { url: slowFake.url, token: slowFake.token },
  );
}

for (const mode of ['reading', 'paused']) {
  test(`terminate() while a ReportStream is ${mode}: the download ends within 2 s, main carries on`, async () => {
    await slowFake.reset();
    const res = result(await terminateWhileStreaming(mode));
    assert.equal(res.m.head, '%PDF-', `the worker read the start of the PDF: ${JSON.stringify(res.m)}`);
    assert.ok(res.m.got > 0 && res.m.finished === undefined, `the worker was mid-stream: ${JSON.stringify(res.m)}`);
    assert.equal(res.inFlightBefore, 1, 'the stream was in flight at the fake when the worker was terminated');
    assert.equal(res.code, 1, 'terminate() resolves with exit code 1');
    assert.ok(res.idleMs < 2000, `the fake still served the stream ${res.idleMs} ms after terminate()`);
    assert.ok(res.mainBytes >= 1000000 && res.mainBytes === res.mainLength, `main's own stream: ${res.mainBytes} of ${res.mainLength}`);
  });
}
