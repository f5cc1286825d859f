'use strict';
// One measurement of make bench-node, in a process of its own: the same 200 MB PDF
// written to a file two ways, in alternating rounds (so a slower stretch of a shared
// machine hits both): savePdf (Go writes the file) and openPdf piped into
// fs.createWriteStream (JavaScript reads the stream through the inbox). Each round also
// takes the two halves of the stream apart: openPdf read with for await into nowhere
// (what the library and the crossing into JavaScript cost), and 200 MB of Buffers
// already in memory piped into the same file with no library at all (what JavaScript
// writing the file costs). Prints one JSON line: the median MB/s of each and the median
// of the rounds' stream/save ratios.
//   node stream-vs-save.js <outfile> [rounds]

const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
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
    nowhere: async () => {
      const s = await c.openPdf(160, query);
      let n = 0;
      for await (const b of s) n += b.length;
      fs.writeFileSync(outFile, Buffer.alloc(0));
      fs.truncateSync(outFile, n); // for timed's size check: the bytes counted, no data written
      return n;
    },
    jsAlone: async () => {
      const piece = Buffer.alloc(1 << 20, 0x25);
      let left = BIG;
      const src = new Readable({
        highWaterMark: 4 << 20, // openPdf's ReportStream's
        read() {
          if (left <= 0) {
            this.push(null);
            return;
          }
          const n = Math.min(piece.length, left);
          left -= n;
          this.push(Buffer.from(piece.subarray(0, n))); // a fresh Buffer per piece, as from the library
        },
      });
      await pipeline(src, fs.createWriteStream(outFile));
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
  const alone = [];
  const nowhere = [];
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
    nowhere.push(await timed('nowhere'));
    alone.push(await timed('jsAlone'));
    process.stderr.write(`round ${i + 1}: savePdf ${save.toFixed(0)} MB/s, openPdf ${stream.toFixed(0)} MB/s, ratio ${(stream / save).toFixed(2)}; ` +
      `openPdf into nowhere ${nowhere[i].toFixed(0)} MB/s, JavaScript alone ${alone[i].toFixed(0)} MB/s\n`);
  }
  await c.close();
  console.log(JSON.stringify({
    rounds: ROUNDS,
    save_mb_s: Math.round(median(saves)),
    stream_mb_s: Math.round(median(streams)),
    ratio: Number(median(ratios).toFixed(2)),
    ratios: ratios.map((r) => Number(r.toFixed(2))),
    nowhere_mb_s: Math.round(median(nowhere)),
    js_alone_mb_s: Math.round(median(alone)),
  }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
