'use strict';
// One measurement of make bench-node, in a process of its own: the same 200 MB PDF
// written to a file two ways, in alternating rounds (so a slower stretch of a shared
// machine hits both): savePdf (Go writes the file) and openPdf piped into
// fs.createWriteStream (JavaScript reads the stream through the inbox). Prints one
// JSON line: the median MB/s of each and the median of the rounds' stream/save ratios.
//   node stream-vs-save.js <outfile> [rounds]

const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { performance } = require('node:perf_hooks');

const [outFile, roundsArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg || 5);
const BIG = 200000000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const { CxReportsClient } = require(path.join(__dirname, '..'));
  const c = new CxReportsClient({
    baseUrl: process.env.CXREPORTS_URL,
    token: process.env.CXREPORTS_TOKEN,
    defaultWorkspaceId: 1,
    // Over TLS (bench.js's realistic condition) the fake's CA comes as PEM text.
    ...(process.env.CXREPORTS_CA ? { caBundlePem: process.env.CXREPORTS_CA } : {}),
  });
  const query = { params: { fakeSizeBytes: BIG } };
  const ways = {
    save: async () => (await c.savePdf(160, outFile, query)).bytes,
    stream: async () => {
      const s = await c.openPdf(160, query);
      await pipeline(s, fs.createWriteStream(outFile));
      return fs.statSync(outFile).size;
    },
  };
  const timed = async (way) => {
    const t0 = performance.now();
    const bytes = await ways[way]();
    const seconds = (performance.now() - t0) / 1000;
    const size = fs.statSync(outFile).size;
    if (bytes !== size || size < BIG) throw new Error(`${way} reported ${bytes} bytes, the file has ${size}`);
    fs.rmSync(outFile, { force: true });
    return size / 1e6 / seconds;
  };
  await timed('save'); // warm-up: connection, page cache of the target directory
  const saves = [];
  const streams = [];
  const ratios = [];
  for (let i = 0; i < ROUNDS; i++) {
    let save;
    let stream;
    if (i % 2 === 0) {
      save = await timed('save');
      stream = await timed('stream');
    } else {
      stream = await timed('stream');
      save = await timed('save');
    }
    saves.push(save);
    streams.push(stream);
    ratios.push(stream / save);
    process.stderr.write(`round ${i + 1}: savePdf ${save.toFixed(0)} MB/s, openPdf ${stream.toFixed(0)} MB/s, ratio ${(stream / save).toFixed(2)}\n`);
  }
  await c.close();
  console.log(JSON.stringify({
    rounds: ROUNDS,
    save_mb_s: Math.round(median(saves)),
    stream_mb_s: Math.round(median(streams)),
    ratio: Number(median(ratios).toFixed(2)),
    ratios: ratios.map((r) => Number(r.toFixed(2))),
  }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
