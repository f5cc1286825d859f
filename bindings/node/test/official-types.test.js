'use strict';
// official.d.ts, as installed: a file written the way @cx-reports/api-client's README and
// examples/ use it, with the import changed to cxreports/official, type-checks in a fresh
// strict project (npm init, the tarball and TypeScript, nothing else) under
// moduleResolution nodenext and bundler; wrong usage is rejected, so the declarations
// are not just `any`. The TypeScript and @types/node are the pinned ones of
// types.test.js (CXREPORTS_TYPESCRIPT=latest: the newest, as there).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { run, freshTsProject, FRESH_TYPESCRIPT } = require('./pkg');

const LATEST = Boolean(process.env.CXREPORTS_TYPESCRIPT);
const FRESH = process.env.CXREPORTS_TYPESCRIPT || FRESH_TYPESCRIPT;

function tsconfig(proj, name, compilerOptions, files) {
  const base = { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: false };
  fs.writeFileSync(path.join(proj, name), JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, files }));
}

/** Error lines (by file and line number) of a tsc run. */
function errorLines(out) {
  return out
    .split('\n')
    .filter((l) => l.includes('error TS'))
    .map((l) => /^(.*?)\((\d+),/.exec(l))
    .filter(Boolean)
    .map((m) => `${path.basename(m[1])}:${m[2]}`);
}

test(`code written for @cx-reports/api-client type-checks against cxreports/official (TypeScript ${FRESH}, nodenext and bundler)`, { timeout: 600000 }, (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-official-ts-'));
  try {
    const { proj, tsc, version } = freshTsProject(dir, FRESH, LATEST);
    t.diagnostic(version);
    if (!LATEST) assert.equal(version, `Version ${FRESH_TYPESCRIPT}`);
    for (const f of ['official-usage.mts', 'official-usage.cts', 'official-wrong.ts']) {
      fs.copyFileSync(path.join(__dirname, 'types', f), path.join(proj, f));
    }

    // nodenext: the ES module (top-level await, as the examples) and CommonJS.
    tsconfig(proj, 'tsconfig.nodenext.json', { module: 'nodenext', moduleResolution: 'nodenext' }, ['official-usage.mts', 'official-usage.cts']);
    let r = run(tsc, ['-p', 'tsconfig.nodenext.json'], proj);
    assert.equal(r.status, 0, `nodenext:\n${r.stdout}${r.stderr}`);

    // bundler: what a Vite / esbuild / Next.js project uses.
    tsconfig(proj, 'tsconfig.bundler.json', { module: 'esnext', moduleResolution: 'bundler' }, ['official-usage.mts']);
    r = run(tsc, ['-p', 'tsconfig.bundler.json'], proj);
    assert.equal(r.status, 0, `bundler:\n${r.stdout}${r.stderr}`);

    // Wrong usage fails under both, on exactly the wrong lines.
    for (const [name, opts] of [
      ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
      ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ]) {
      tsconfig(proj, `tsconfig.wrong-${name}.json`, opts, ['official-wrong.ts']);
      r = run(tsc, ['-p', `tsconfig.wrong-${name}.json`], proj);
      assert.notEqual(r.status, 0, `${name}: official-wrong.ts type-checked`);
      assert.deepEqual(
        [...new Set(errorLines(r.stdout))],
        [4, 5, 6, 7, 8].map((n) => `official-wrong.ts:${n}`),
        `${name}:\n${r.stdout}${r.stderr}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
