'use strict';
// The ```js block of the top-level README.md, saved as a script exactly as printed and
// run with node in a folder whose node_modules/cxreports is the package under test (the
// installed tarball under `make test-node`), with CXREPORTS_URL and CXREPORTS_TOKEN
// naming the fake.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { useFake } = require('./fake');
const { PKG_DIR } = require('./pkg');

const README = path.join(__dirname, '..', '..', '..', 'README.md');

const fx = useFake();

/** Runs README.md's one block tagged ```<info> as a script, as printed; returns its stdout and folder. */
function runBlock(info, dir) {
  const blocks = [...fs.readFileSync(README, 'utf8').matchAll(new RegExp('```' + info + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
  assert.equal(blocks.length, 1, `README.md should have exactly one \`\`\`${info} block`);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(PKG_DIR, path.join(dir, 'node_modules', 'cxreports'), 'dir');
  fs.writeFileSync(path.join(dir, 'example.js'), blocks[0]);
  const env = { ...process.env, CXREPORTS_URL: fx.fake.url, CXREPORTS_TOKEN: fx.fake.token };
  const r = spawnSync(process.execPath, ['example.js'], { cwd: dir, env, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `example.js failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

test("README.md's Node.js example runs against the fake", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-readme-js-'));
  try {
    assert.match(runBlock('js', dir), /^\d+ bytes in memory, report\.pdf on disk\n$/);
    const pdf = fs.readFileSync(path.join(dir, 'report.pdf'));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("README.md's Node.js batch example runs against the fake", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-readme-batch-'));
  try {
    const lines = runBlock('js batch', dir).trim().split('\n');
    assert.deepEqual(lines.map((l) => Number(l.split(' ')[0])).sort((a, b) => a - b), [...Array(20).keys()]);
    assert.ok(lines.every((l) => l.split(' ')[1] === 'ok'), lines.join('\n'));
    assert.equal(fs.readdirSync(path.join(dir, 'out')).length, 20);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
