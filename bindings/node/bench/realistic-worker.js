'use strict';
// One cell of `make bench-realistic` (scripts/bench_realistic.py) in a fresh process, so
// its peak RSS and the connections the fake counts belong to this client alone:
//   node realistic-worker.js <binding|fetch> <small|concurrent|render|big> <outfile>
// Reads CXREPORTS_URL, CXREPORTS_TOKEN, CXREPORTS_CA (empty = plain HTTP) and
// BENCH_PARAMS (the render params as JSON). Prints one JSON line.
// fetch trusts the fake's CA through NODE_EXTRA_CA_CERTS, which the parent sets: Node
// reads it only at start-up, which is why it cannot be set from here.

const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { performance } = require('node:perf_hooks');
const { bearerGet, base64urlJSON } = require('./fetch-get');

const [variant, workload, outFile] = process.argv.slice(2);
const BASE = process.env.CXREPORTS_URL;
const TOKEN = process.env.CXREPORTS_TOKEN;
const CA = process.env.CXREPORTS_CA || '';
const PARAMS = JSON.parse(process.env.BENCH_PARAMS || '{}');
const SMALL_CALLS = 100;
const WORKERS = 8;
const CALLS_PER_WORKER = 50;
const RENDERS = 20;

// The query get_pdf sends: params as base64url of the JSON text, padding kept and
// percent-encoded, as the official Python client's urlencode does.
function pdfUrl(params) {
  return `${BASE}/api/v1/ws/1/reports/160/pdf?params=${encodeURIComponent(base64urlJSON(params))}`;
}

function fetchClient() {
  const get = bearerGet(TOKEN);
  return {
    small: async () => (await get(`${BASE}/api/v1/workspaces`)).json(),
    pdf: async (params) => Buffer.from(await (await get(pdfUrl(params))).arrayBuffer()),
    // Streamed to disk: what a careful hand-written client does with a large file.
    save: async (params, file) => {
      const res = await get(pdfUrl(params));
      await pipeline(Readable.fromWeb(res.body), fs.createWriteStream(file));
    },
    close: async () => {},
  };
}

function bindingClient() {
  const { CxReportsClient } = require(path.join(__dirname, '..'));
  const opts = { baseUrl: BASE, token: TOKEN, defaultWorkspaceId: 1 };
  if (CA) opts.caBundle = CA;
  const c = new CxReportsClient(opts);
  return {
    small: () => c.getWorkspaces(),
    pdf: (params) => c.getPdf(160, { params }),
    save: (params, file) => c.savePdf(160, file, { params }),
    close: () => c.close(),
  };
}

async function main() {
  const c = { fetch: fetchClient, binding: bindingClient }[variant]();
  const result = { variant, workload, calls: 0 };
  // No warm-up: connection set-up (TCP, TLS) is part of what each workload costs.
  const t0 = performance.now();
  if (workload === 'small') {
    for (let i = 0; i < SMALL_CALLS; i++) await c.small();
    result.calls = SMALL_CALLS;
  } else if (workload === 'concurrent') {
    const worker = async () => {
      for (let i = 0; i < CALLS_PER_WORKER; i++) await c.small();
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    result.calls = WORKERS * CALLS_PER_WORKER;
  } else if (workload === 'render') {
    for (let i = 0; i < RENDERS; i++) {
      const pdf = await c.pdf(PARAMS);
      if (pdf.length < PARAMS.fakeSizeBytes) throw new Error(`short PDF: ${pdf.length} bytes`);
    }
    result.calls = RENDERS;
  } else if (workload === 'big') {
    await c.save(PARAMS, outFile);
    result.calls = 1;
    result.bytes = fs.statSync(outFile).size;
    fs.rmSync(outFile, { force: true });
  } else {
    throw new Error(`unknown workload ${workload}`);
  }
  result.wall_s = (performance.now() - t0) / 1000;
  await c.close();
  result.peak_rss_mb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
