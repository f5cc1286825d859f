'use strict';
// Peak memory of fetching a large PDF into memory with getPdf (a benchmark, not a test):
//   node memory-1g.js [outfile] [size]
// Starts build/cxfake (CXFAKE), then, in a fresh child process: creates a client, warms it
// up with a small getPdf (so the Go runtime, its threads and the connection count in the
// baseline), reads the resident set size as the baseline, fetches a PDF of `size` bytes
// (default 1 GiB, padded by the fake's fakeSizeBytes) into a Buffer and reads the peak
// (process.resourceUsage().maxRSS). Reports (peak - baseline) / size.
//
// The bytes travel once through C memory: the library downloads straight into a malloc'd
// block of the final size, the binding copies it into the Buffer and frees the block at
// once; so the peak is 2x the size (block + Buffer), and the target is <= 2.0x.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const GIB = 2 ** 30;
const MIB = 2 ** 20;

async function child() {
  const [url, token, sizeText] = process.argv.slice(3);
  const size = Number(sizeText);
  const { CxReportsClient } = require(path.join(__dirname, '..'));
  const c = new CxReportsClient({ baseUrl: url, token, defaultWorkspaceId: 1 });
  try {
    await c.getPdf(160, { params: { fakeSizeBytes: MIB } });
    const baseline = process.memoryUsage.rss();
    const t0 = process.hrtime.bigint();
    const pdf = await c.getPdf(160, { params: { fakeSizeBytes: size } });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const peak = process.resourceUsage().maxRSS * 1024; // KiB
    const after = process.memoryUsage.rss();
    const ok = pdf.length >= size && pdf.subarray(0, 5).toString('latin1') === '%PDF-';
    process.stdout.write(`${JSON.stringify({ bytes: pdf.length, ok, baseline, peak, after, wall })}\n`);
  } finally {
    await c.close();
  }
}

async function main() {
  const [outFile, sizeArg] = process.argv.slice(2);
  const size = sizeArg ? Number(sizeArg) : GIB;
  const { startFake } = require('../test/fake');
  const fake = await startFake([]);
  let r;
  try {
    const text = execFileSync(process.execPath, [__filename, '--child', fake.url, fake.token, String(size)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 600000,
    });
    r = JSON.parse(text.trim().split('\n').pop());
  } finally {
    await fake.stop();
  }
  if (!r.ok) throw new Error(`getPdf returned ${r.bytes} bytes, not a PDF of ${size}`);
  const ratio = (r.peak - r.baseline) / r.bytes;
  // Judged at two decimals: every download also takes a fixed ~0.1 MiB (the Go side's
  // copy buffer and stacks), whatever its size, which is not a multiple of it.
  const met = Math.round(ratio * 100) / 100 <= 2.0;
  const lines = [
    `| Node getPdf of ${(r.bytes / MIB).toFixed(0)} MiB into memory | |`,
    '|---|---:|',
    `| baseline RSS before the call | ${(r.baseline / MIB).toFixed(0)} MiB |`,
    `| peak RSS (maxRSS) | ${(r.peak / MIB).toFixed(0)} MiB |`,
    `| peak - baseline | ${((r.peak - r.baseline) / MIB).toFixed(1)} MiB |`,
    `| (peak - baseline) / size | ${ratio.toFixed(4)}x (target <= 2.0x: ${met ? 'met' : 'NOT met'}) |`,
    `| RSS after the call (result held) | ${(r.after / MIB).toFixed(0)} MiB |`,
    `| wall time | ${r.wall.toFixed(2)} s |`,
    '',
    `Node ${process.version}, ${os.cpus().length} CPUs.`,
  ];
  const text = `${lines.join('\n')}\n`;
  process.stdout.write(text);
  if (outFile) fs.writeFileSync(outFile, text);
}

(process.argv[2] === '--child' ? child() : main()).catch((err) => {
  process.stderr.write(`memory-1g: ${err.stack || err}\n`);
  process.exit(1);
});
