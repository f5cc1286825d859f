'use strict';
// index.d.ts, as installed, type-checks typical ES module and CommonJS usage under
// strict TypeScript, and rejects wrong usage (so the declarations are not just `any`).

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
  assert.deepEqual(lines.map((l) => Number(/\((\d+),/.exec(l)[1])), [4, 5, 6, 7], r.stdout);
});
