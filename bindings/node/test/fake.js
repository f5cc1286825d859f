'use strict';
// Starts build/cxfake for a test file on a free loopback port, reads its first JSON line
// ({"url","token","workspace_id",...}) and stops it by pid. Also wraps the fake's HTTP
// control API (/_fake/faults, /_fake/stats, /_fake/requests, /_fake/reset).

const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const readline = require('node:readline');

const FAKE = process.env.CXFAKE || path.join(__dirname, '..', '..', '..', 'build', 'cxfake');

// The flags every test's fake runs with unless it passes its own list.
const DEFAULT_ARGS = Object.freeze(['-export-delay', '300ms', '-job-delay', '300ms']);

/** Starts a fake with `args` (default DEFAULT_ARGS); e.g. [...DEFAULT_ARGS, '-render-slots', '2']. */
async function startFake(args = DEFAULT_ARGS) {
  if (!fs.existsSync(FAKE)) throw new Error(`${FAKE} is missing; run 'make build-go' first (or set CXFAKE)`);
  const child = spawn(FAKE, ['-port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`cxfake exited with ${code} before printing its address`)));
  });
  child.stdout.resume(); // it prints nothing else, but never let a full pipe block it
  const info = JSON.parse(line);
  const url = info.url;

  async function control(method, p, body) {
    const res = await fetch(url + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fake ${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  return {
    url,
    token: info.token,
    workspaceId: info.workspace_id,
    ca: info.ca || null, // the CA's PEM, with -tls
    pid: child.pid,
    stats: () => control('GET', '/_fake/stats'),
    requests: () => control('GET', '/_fake/requests'),
    reset: () => control('POST', '/_fake/reset'),
    /** faults: [{status, body, content_type, retry_after, latency_ms, ...}] used in order. */
    inject: (method, p, faults) => control('POST', '/_fake/faults', { method, path: p, faults }),
    clearFaults: () => control('DELETE', '/_fake/faults'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await gone;
    },
  };
}

// startWithClient starts a fake (with the default flags plus fakeArgs, such as
// ['-render-slots', '2']) and a client of the package under test on it (its default
// workspace, plus options); stopWithClient closes both. Test files call them from their
// before/after hooks.
async function startWithClient(options = {}, fakeArgs = []) {
  const { cx } = require('./pkg');
  const fake = await startFake([...DEFAULT_ARGS, ...fakeArgs]);
  const client = new cx.CxReportsClient({ baseUrl: fake.url, token: fake.token, defaultWorkspaceId: fake.workspaceId, ...options });
  return { fake, client };
}

async function stopWithClient({ fake, client }) {
  await client.close();
  await fake.stop();
}

// useFake gives a test file one fake (started with args) for all its tests: it registers
// the before/after hooks and returns the object they fill in (env.fake).
function useFake(args) {
  const { before, after } = require('node:test');
  const env = {};
  before(async () => {
    env.fake = await startFake(args);
  });
  after(() => env.fake?.stop());
  return env;
}

// useFakeClient gives a test file one fake and one client for all its tests, and with
// `tmp` a temporary folder (env.dir, named after it) removed at the end: it registers the
// before/after hooks and returns the object they fill in (env.fake, env.client, env.dir).
// setup(env), when given, runs once they exist: a second before hook of the file's own
// may run before the first one is done.
function useFakeClient({ tmp, options, fakeArgs, setup } = {}) {
  const { before, after } = require('node:test');
  const env = {};
  before(async () => {
    Object.assign(env, await startWithClient(options, fakeArgs));
    if (tmp) env.dir = fs.mkdtempSync(path.join(os.tmpdir(), `cxreports-node-${tmp}-`));
    if (setup) await setup(env);
  });
  after(async () => {
    if (env.client) await stopWithClient(env);
    if (env.dir) fs.rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}

module.exports = { startFake, startWithClient, stopWithClient, useFake, useFakeClient, FAKE, DEFAULT_ARGS };
