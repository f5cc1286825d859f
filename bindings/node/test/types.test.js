'use strict';
// index.d.ts, as installed, type-checks typical ES module and CommonJS usage under
// strict TypeScript, and rejects wrong usage (so the declarations are not just `any`).
// And it type-checks in a fresh project as a user starts one: `npm init`, `npm install`
// of the tarball and TypeScript, `tsc --noEmit --strict`, nothing else installed.
//
// Which TypeScript: exact versions, with the @types/node that package-lock.json holds,
// so that a TypeScript or @types/node release cannot turn `make test` red overnight.
// The first checks use the TypeScript package.json pins (devDependencies, locked in
// package-lock.json, installed by `npm ci`: the 5.x line); the fresh project the one
// FRESH_TYPESCRIPT names, what `npm install typescript` gave a new user when it was last
// moved (7.x, the native compiler). `make check-latest` sets CXREPORTS_TYPESCRIPT=latest:
// every check here then runs with that TypeScript and the newest @types/node, to see a
// release coming; move the pins once it is green.

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PKG_DIR, SRC_DIR, tempDir, npm, run, freshTsProject, FRESH_TYPESCRIPT } = require('./pkg');

const NODE_MODULES = path.join(SRC_DIR, 'node_modules');
const PINNED = require(path.join(SRC_DIR, 'package.json')).devDependencies.typescript;
const LOCK = require(path.join(SRC_DIR, 'package-lock.json')).packages;
const LOCKED_TYPES_NODE = LOCK['node_modules/@types/node'].version;
const LATEST = Boolean(process.env.CXREPORTS_TYPESCRIPT);
const WANTED = process.env.CXREPORTS_TYPESCRIPT || PINNED; // for the first checks
const FRESH = process.env.CXREPORTS_TYPESCRIPT || FRESH_TYPESCRIPT; // for the fresh project

// The TypeScript (tsc) and the @types folder the first two checks use: the pinned ones
// `npm ci` installed beside package.json, or WANTED installed into a folder of its own.
let TSC = path.join(NODE_MODULES, 'typescript', 'bin', 'tsc');
let TYPE_ROOTS = path.join(NODE_MODULES, '@types');
before(() => {
  if (!LATEST) return;
  const dir = tempDir('cxreports-ts-');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"cxreports-ts","private":true}\n');
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', `typescript@${WANTED}`, '@types/node@latest'], dir);
  TSC = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  TYPE_ROOTS = path.join(dir, 'node_modules', '@types');
});

test('make test type-checks with the exact TypeScript that package.json pins and package-lock.json locks', () => {
  assert.match(PINNED, /^\d+\.\d+\.\d+$/, `devDependencies.typescript must be an exact version, not ${JSON.stringify(PINNED)}`);
  assert.match(FRESH_TYPESCRIPT, /^\d+\.\d+\.\d+$/, 'FRESH_TYPESCRIPT must be an exact version');
  assert.equal(LOCK[''].devDependencies.typescript, PINNED, 'package-lock.json is out of date: run npm install in bindings/node');
  assert.equal(LOCK['node_modules/typescript'].version, PINNED, 'package-lock.json locks another TypeScript');
  const installed = require(path.join(NODE_MODULES, 'typescript', 'package.json')).version;
  assert.equal(installed, PINNED, `bindings/node/node_modules has TypeScript ${installed}: run 'make build-node' (npm ci)`);
  const typesNode = require(path.join(NODE_MODULES, '@types', 'node', 'package.json')).version;
  assert.equal(typesNode, LOCKED_TYPES_NODE, `bindings/node/node_modules has @types/node ${typesNode}: run 'make build-node' (npm ci)`);
});

function check(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-types-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(PKG_DIR, path.join(dir, 'node_modules', 'cxreports'), 'dir');
    for (const f of files) fs.copyFileSync(path.join(__dirname, 'types', f), path.join(dir, f));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022'],
          types: ['node'],
          typeRoots: [TYPE_ROOTS],
          preserveSymlinks: true,
        },
        files,
      }),
    );
    return spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8', timeout: 120000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('typical usage type-checks from ES modules and CommonJS', (t) => {
  t.diagnostic(spawnSync(process.execPath, [TSC, '--version'], { encoding: 'utf8' }).stdout.trim());
  const r = check(['esm-usage.mts', 'cjs-usage.cts']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('wrong usage is rejected by the declarations', () => {
  const r = check(['wrong-usage.ts']);
  assert.notEqual(r.status, 0);
  const lines = r.stdout.split('\n').filter((l) => l.includes('error TS'));
  assert.deepEqual(lines.map((l) => Number(/\((\d+),/.exec(l)[1])), [4, 5, 6, 7, 8], r.stdout);
});

test(`a fresh strict project with only the tarball and TypeScript ${FRESH} type-checks`, { timeout: 600000 }, (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-fresh-ts-'));
  try {
    const { proj, tsc, version } = freshTsProject(dir, FRESH, LATEST);
    const installed = fs.readdirSync(path.join(proj, 'node_modules')).sort();
    const diag = `\n(${version}; node_modules: ${installed.join(', ')})`;
    t.diagnostic(version);
    if (!LATEST) {
      assert.equal(version, `Version ${FRESH_TYPESCRIPT}`, diag);
      const typesNode = require(path.join(proj, 'node_modules', '@types', 'node', 'package.json')).version;
      assert.equal(typesNode, LOCKED_TYPES_NODE, `the override did not hold @types/node${diag}`);
    }
    for (const f of ['fresh-usage.ts', 'esm-usage.mts', 'cjs-usage.cts']) {
      fs.copyFileSync(path.join(__dirname, 'types', f), path.join(proj, f));
    }

    // 1. What the user types: no tsconfig, TypeScript's defaults, --strict.
    let r = run(tsc, ['--noEmit', '--strict', 'fresh-usage.ts'], proj);
    assert.equal(r.status, 0, `tsc --noEmit --strict fresh-usage.ts:\n${r.stdout}${r.stderr}${diag}`);

    // 2. A Node project's tsconfig with neither DOM types nor automatic @types (types: []):
    //    whatever Node types the declarations need, they must bring themselves.
    fs.writeFileSync(path.join(proj, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [] },
      files: ['fresh-usage.ts', 'esm-usage.mts', 'cjs-usage.cts'],
    }));
    r = run(tsc, ['-p', proj], proj);
    assert.equal(r.status, 0, `tsc -p (nodenext, lib es2022, types []):\n${r.stdout}${r.stderr}${diag}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
