'use strict';
// The package under test: the tarball installed into a fresh folder when
// CXREPORTS_NODE_PKG names it (what `make test-node` does), else this source tree.
// Also the tarball itself and an installed copy of it for the tests that need the package
// exactly as users get it: what `make test-node` hands over (CXREPORTS_NODE_TGZ,
// CXREPORTS_NODE_PKG), else made here the same way, so those tests run outside make too.
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { spawn, spawnSync } = require('node:child_process');

// Every test talks to the fake on loopback, and so does every process a test starts
// (they inherit this): never through a proxy the environment names, which cannot reach
// this machine's 127.0.0.1 (scripts/test-installed.sh sets the same for the whole run).
for (const v of ['no_proxy', 'NO_PROXY']) {
  const have = (process.env[v] || '').split(',').filter(Boolean);
  process.env[v] = [...new Set(['127.0.0.1', 'localhost', '::1', ...have])].join(',');
}

const SRC_DIR = path.join(__dirname, '..');
const PKG_DIR = process.env.CXREPORTS_NODE_PKG || SRC_DIR;

// Folders the helpers below make, removed when the test file's process exits.
const temps = [];
process.on('exit', () => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});
/** A fresh folder under os.tmpdir() (so TMPDIR is honoured), removed at exit. */
function tempDir(prefix) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** Runs npm with args in cwd; throws with npm's output when it fails. Returns stdout. */
function npm(args, cwd) {
  const r = spawnSync('npm', [...args, '--loglevel=error'], { cwd, encoding: 'utf8', timeout: 600000 });
  if (r.error || r.status !== 0) {
    throw new Error(`npm ${args.join(' ')} (in ${cwd}) failed; it needs npm and the npm registry or npm's cache: ${r.error || ''}\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

let packed;
/** The npm tarball under test: CXREPORTS_NODE_TGZ, else `npm pack` of this source tree (once). */
function tarball() {
  if (process.env.CXREPORTS_NODE_TGZ) return process.env.CXREPORTS_NODE_TGZ;
  if (!packed) {
    for (const p of ['linux-x64', 'linux-arm64']) {
      const lib = path.join(SRC_DIR, 'lib', p, 'libcxreports.so');
      if (!fs.existsSync(lib)) throw new Error(`${lib} is missing: run 'make build-node' first (it copies both libraries into lib/)`);
    }
    const dir = tempDir('cxreports-pack-');
    const out = npm(['pack', '--pack-destination', dir], SRC_DIR);
    packed = path.join(dir, out.trim().split('\n').pop());
  }
  return packed;
}

/**
 * Installs tarball() into a fresh folder as a user does (plus npm flags such as
 * --cpu=arm64) and returns the folder of the installed package (…/node_modules/cxreports).
 * --ignore-scripts as in scripts/test-installed.sh: koffi's prebuilt binary comes from
 * its optional dependency; its install script would only try to compile from source.
 */
function installTarball(flags = []) {
  const dir = tempDir('cxreports-install-');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"cxreports-install-test","private":true}\n');
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', ...flags, tarball()], dir);
  return path.join(dir, 'node_modules', 'cxreports');
}

let installed;
/** The installed package: CXREPORTS_NODE_PKG, else tarball() installed into a fresh folder (once). */
function installedPackage() {
  if (process.env.CXREPORTS_NODE_PKG) return process.env.CXREPORTS_NODE_PKG;
  if (!installed) installed = installTarball();
  return installed;
}

/**
 * Runs `source` in a new Node process with PKG (the package under test) and `env` in its
 * environment; resolves { code, signal, out, err } once it exits, or kills it and rejects
 * if it has not exited by itself within guardMs, so a hang fails the test.
 */
function runNode(source, env = {}, guardMs = 60000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source], {
      env: { ...process.env, PKG: PKG_DIR, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the script did not exit by itself within ${guardMs} ms; stdout: ${out} stderr: ${err}`));
    }, guardMs);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, out, err });
    });
  });
}

/** Runs cmd args in cwd; throws when it cannot be started. Returns spawnSync's result. */
function run(cmd, args, cwd, timeout = 300000) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error}`);
  return r;
}

/**
 * A fresh project under dir as a user starts one: `npm init`, then `npm install` of
 * tarball() and typescript@<typescript>, nothing else. Unless latest, @types/node (which
 * the package's dependency brings) is held at the version package-lock.json locks by an
 * override: not a dependency of the project, so a package that stopped bringing
 * @types/node would still fail. Returns { proj, tsc, version } (version: `tsc --version`).
 * --ignore-scripts as in test-installed.sh: koffi's install script would only try to
 * compile koffi from source; type-checking needs no native code. --prefer-offline:
 * pinned versions come from npm's cache when it has them, and need no registry then.
 */
function freshTsProject(dir, typescript, latest) {
  const proj = path.join(dir, 'proj');
  fs.mkdirSync(proj);
  let r = run('npm', ['init', '-y'], proj);
  if (r.status !== 0) throw new Error(`npm init failed:\n${r.stdout}${r.stderr}`);
  if (!latest) {
    const locked = require(path.join(SRC_DIR, 'package-lock.json')).packages['node_modules/@types/node'].version;
    const pj = JSON.parse(fs.readFileSync(path.join(proj, 'package.json'), 'utf8'));
    pj.overrides = { '@types/node': locked };
    fs.writeFileSync(path.join(proj, 'package.json'), JSON.stringify(pj, null, 2));
  }
  const offline = latest ? [] : ['--prefer-offline'];
  r = run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...offline, tarball(), `typescript@${typescript}`], proj);
  if (r.status !== 0) throw new Error(`npm install failed (it needs the npm registry or npm's cache):\n${r.stdout}${r.stderr}`);
  const tsc = path.join(proj, 'node_modules', '.bin', 'tsc');
  const version = run(tsc, ['--version'], proj).stdout.trim();
  return { proj, tsc, version };
}

// The TypeScript a fresh project gets (`npm install typescript` when this was last
// moved): types.test.js and official-types.test.js type-check with it.
const FRESH_TYPESCRIPT = '7.0.2';

module.exports = { FRESH_TYPESCRIPT, run, freshTsProject, cx: require(PKG_DIR), PKG_DIR, SRC_DIR, tempDir, npm, tarball, installTarball, installedPackage, runNode };
