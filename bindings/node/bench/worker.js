'use strict';
// One benchmark measurement in a fresh process (so RSS figures do not mix):
//   node worker.js <binding|fetch> <latency|concurrent|bigfile> [outfile]
// Prints one JSON line. The fetch variant does what the official TypeScript client does:
// fetch with a Bearer header, then res.json() or res.arrayBuffer() (+ writeFile here).

const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { bearerGet, base64urlJSON } = require('./fetch-get');

const [variant, measure, outFile] = process.argv.slice(2);
const URL_ = process.env.CXREPORTS_URL;
const TOKEN = process.env.CXREPORTS_TOKEN;
const WS = 1;
const LATENCY_CALLS = 500;
const CONCURRENT = 64;
const SLOW_MS = 1500;
const BIG = 200000000;

function fetchVariant() {
  const checked = bearerGet(TOKEN);
  return {
    json: async () => (await checked(`${URL_}/api/v1/workspaces`)).json(),
    pdf: async (params) => Buffer.from(await (await checked(`${URL_}/api/v1/ws/${WS}/reports/160/pdf?params=${base64urlJSON(params)}`)).arrayBuffer()),
    pdfToFile: async (params, file) => {
      const res = await checked(`${URL_}/api/v1/ws/${WS}/reports/160/pdf?params=${base64urlJSON(params)}`);
      const buf = Buffer.from(await res.arrayBuffer());
      fs.writeFileSync(file, buf);
      return buf.length;
    },
    close: async () => {},
  };
}

function bindingVariant() {
  const { CxReportsClient } = require(path.join(__dirname, '..'));
  const c = new CxReportsClient({ baseUrl: URL_, token: TOKEN, defaultWorkspaceId: WS });
  return {
    json: () => c.getWorkspaces(),
    pdf: (params) => c.getPdf(160, { params }),
    pdfToFile: async (params, file) => (await c.savePdf(160, file, { params })).bytes,
    close: () => c.close(),
  };
}

// The same library called synchronously (cx_call) on the main thread: no thread hop, so
// the difference to the binding is the cost of the asynchronous path.
function syncCallVariant() {
  const koffi = require(require.resolve('koffi', { paths: [path.join(__dirname, '..')] }));
  const { libraryPath } = require(path.join(__dirname, '..'));
  const lib = koffi.load(libraryPath());
  const clientNew = lib.func('uint64_t cx_client_new(const char *config_json, _Out_ void **error_json)');
  const call = lib.func('void *cx_call(uint64_t h, const char *method, const char *args_json)');
  const free = lib.func('void cx_free(void *p)');
  const h = clientNew(JSON.stringify({ base_url: URL_, token: TOKEN, default_workspace_id: WS }), [null]);
  return {
    json: async () => {
      const p = call(h, 'get_workspaces', '{}');
      const env = JSON.parse(koffi.decode.string(p));
      free(p);
      if (!env.ok) throw new Error(env.error.message);
      return env.data;
    },
    close: async () => {},
  };
}

async function main() {
  const variants = { fetch: fetchVariant, binding: bindingVariant, cxcall: syncCallVariant };
  const v = variants[variant]();
  const result = { variant, measure };
  if (measure === 'latency') {
    for (let i = 0; i < 50; i++) await v.json(); // warm-up: connections, JIT
    const times = [];
    for (let i = 0; i < LATENCY_CALLS; i++) {
      const t0 = performance.now();
      await v.json();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    result.calls = LATENCY_CALLS;
    result.median_us = Math.round(times[Math.floor(times.length / 2)] * 1000);
    result.p99_us = Math.round(times[Math.floor(times.length * 0.99)] * 1000);
  } else if (measure === 'concurrent') {
    await v.json();
    const t0 = performance.now();
    const pdfs = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => v.pdf({ fakeDelayMs: SLOW_MS, n: i })));
    result.wall_ms = Math.round(performance.now() - t0);
    result.calls = pdfs.length;
  } else if (measure === 'bigfile') {
    await v.json();
    result.rss_before_mb = Math.round(process.memoryUsage().rss / 1e6);
    const t0 = performance.now();
    result.bytes = await v.pdfToFile({ fakeSizeBytes: BIG }, outFile);
    result.wall_ms = Math.round(performance.now() - t0);
    result.file_bytes = fs.statSync(outFile).size;
    fs.rmSync(outFile, { force: true });
  } else {
    throw new Error(`unknown measurement ${measure}`);
  }
  await v.close();
  result.peak_rss_mb = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
