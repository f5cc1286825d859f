'use strict';
// index.d.ts, as installed, type-checks typical ES module and CommonJS usage under
// strict TypeScript, and rejects wrong usage (so the declarations are not just `any`).
// And it type-checks in a fresh project as a user starts one: `npm init`, `npm install`
// of the tarball and typescript@latest, `tsc --noEmit --strict`, nothing else installed.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PKG_DIR } = require('./pkg');

const NODE_MODULES = path.join(__dirname, '..', 'node_modules');
const TSC = path.join(NODE_MODULES, 'typescript', 'bin', 'tsc');

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
          typeRoots: [path.join(NODE_MODULES, '@types')],
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

test('typical usage type-checks from ES modules and CommonJS', () => {
  const r = check(['esm-usage.mts', 'cjs-usage.cts']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('wrong usage is rejected by the declarations', () => {
  const r = check(['wrong-usage.ts']);
  assert.notEqual(r.status, 0);
  const lines = r.stdout.split('\n').filter((l) => l.includes('error TS'));
  assert.deepEqual(lines.map((l) => Number(/\((\d+),/.exec(l)[1])), [4, 5, 6, 7, 8], r.stdout);
});

// The tarball under test: CXREPORTS_NODE_TGZ (make test-node sets it), else `npm pack`
// of the package under test into dir.
function tarball(dir) {
  if (process.env.CXREPORTS_NODE_TGZ) return process.env.CXREPORTS_NODE_TGZ;
  const r = spawnSync('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { cwd: PKG_DIR, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm pack failed: ${r.stdout}${r.stderr}`);
  return path.join(dir, r.stdout.trim().split('\n').pop());
}

function run(cmd, args, cwd, timeout = 300000) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout });
  assert.ok(!r.error, `${cmd} ${args.join(' ')}: ${r.error}`);
  return r;
}

test('a fresh strict project with only the tarball and the newest TypeScript type-checks', { timeout: 600000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-fresh-ts-'));
  try {
    const tgz = tarball(dir);
    const proj = path.join(dir, 'proj');
    fs.mkdirSync(proj);
    let r = run('npm', ['init', '-y'], proj);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // --ignore-scripts as in test-installed.sh: koffi's install script would only try
    // to compile koffi from source; type-checking needs no native code.
    r = run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tgz, 'typescript@latest'], proj);
    assert.equal(r.status, 0, `npm install failed (it needs the npm registry):\n${r.stdout}${r.stderr}`);
    const tsc = path.join(proj, 'node_modules', '.bin', 'tsc');
    const version = run(tsc, ['--version'], proj).stdout.trim();
    const installed = fs.readdirSync(path.join(proj, 'node_modules')).sort();
    const diag = `\n(${version}; node_modules: ${installed.join(', ')})`;
    for (const f of ['fresh-usage.ts', 'esm-usage.mts', 'cjs-usage.cts']) {
      fs.copyFileSync(path.join(__dirname, 'types', f), path.join(proj, f));
    }

    // 1. What the user types: no tsconfig, TypeScript's defaults, --strict.
    r = run(tsc, ['--noEmit', '--strict', 'fresh-usage.ts'], proj);
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
