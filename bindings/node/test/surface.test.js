'use strict';
// The three surfaces cannot drift: every method of the library's cx_methods() exists on
// CxReportsClient (camelCase) and in index.d.ts with every one of its arguments reachable,
// and neither has anything cx_methods() lacks (bar the helpers listed below).
//
// The client is table-driven: lib/client.js has METHODS (Node name -> C method, positional
// parameters, options, result kind) and C_ARGS (Node parameter/option name -> C argument),
// and builds its methods from them. This test checks
//   1. the table against cx_methods(), read from the library this package loads (koffi on
//      the bundled libcxreports.so), with the naming rules and exceptions below;
//   2. that the client really is the table: its prototype has exactly the table's methods
//      (plus HELPERS), and each method, called with a distinct value per parameter and
//      option, sends every one of them under the right C name (a spy on native().start, so
//      no server is involved);
//   3. index.d.ts: the class declares the same methods with the same parameter names, and
//      each method's options type has exactly the option names the client accepts.
//
// Rules (what "the same arguments" means for Node):
// - Method names are the camelCase of the C names; argument names are the camelCase of the
//   C (seed Python) names, except RENAMED and GROUPED below.
// - Positional parameters come first, in the C ABI's order (a subsequence of it); every
//   required C argument is positional. The last parameter is always `opts`, the per-call
//   options object: the remaining C arguments are options under their camelCase names.
// - Durations (timeout, pollInterval, maxInterval) are milliseconds in Node, seconds in C.
// - NOT_EXPOSED C arguments have no Node name; BINDING_OPTIONS are options with no C
//   argument. onProgress is accepted exactly where cx_methods() says progress: true.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { cx, PKG_DIR } = require('./pkg');

// The package's own modules (lib/ ships in the tarball; the exports map only guards bare
// specifiers, so absolute paths reach them and share the instances index.js uses).
const clientModule = require(path.join(PKG_DIR, 'lib', 'client.js'));
const nativeModule = require(path.join(PKG_DIR, 'lib', 'native.js'));
const { METHODS, C_ARGS, FILTER } = clientModule;

// C arguments the Node client does not take, with the reason.
const NOT_EXPOSED = {
  interrupt_fd:
    'a file descriptor a blocking caller hands the library so that a signal can stop a call ' +
    '(the Python binding uses it for Ctrl-C); Node never blocks: it cancels through cx_cancel, via opts.signal',
};
// Node names that are not the camelCase of their C argument, with the reason.
const RENAMED = {
  body: {
    c: 'request_body',
    why: 'the name this package has always documented (README, index.d.ts, error messages); positional, so callers never spell it',
  },
};
// Node parameters that carry several C arguments, with the reason.
const GROUPED = {
  filter: {
    c: ['type', 'offset', 'limit'],
    why: "getReports(filter, opts): the report filter { type, offset, limit } (a string is the type), as one argument",
  },
};
// Per-call options of the binding's own (no C argument), with the reason.
const BINDING_OPTIONS = {
  signal: 'an AbortSignal; aborting cancels the call through cx_cancel (the C ABI has no argument for it)',
  onProgress: 'the progress events of cx_inbox_call; only where cx_methods() has progress: true',
};
// Public members of CxReportsClient that are not C ABI methods, with the reason.
const HELPERS = {
  constructor: 'new CxReportsClient(options): cx_client_new',
  close: 'frees the client: cx_client_free',
  '[Symbol.asyncDispose]': '`await using client = ...`: close() (where the runtime has Symbol.asyncDispose)',
  openPdf: 'get_pdf as a ReportStream (cx_inbox_stream_open / cx_inbox_stream_read): a Readable read at its consumer\'s pace',
  openPostPdf: 'post_pdf as a ReportStream',
  openExportContent: 'get_export_content as a ReportStream',
};
const DURATIONS = { timeout: 1, pollInterval: 1, maxInterval: 1 };

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, ch) => ch.toUpperCase());
const snake = (s) => s.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/** The C arguments a Node parameter or option name stands for, by the rules above. */
function cArgsOf(nodeName) {
  if (Object.hasOwn(GROUPED, nodeName)) return GROUPED[nodeName].c;
  if (Object.hasOwn(RENAMED, nodeName)) return [RENAMED[nodeName].c];
  return [snake(nodeName)];
}

/** cx_methods() of the library the package loads, through koffi directly. */
function loadCxMethods() {
  const koffi = require(require.resolve('koffi', { paths: [PKG_DIR] }));
  const lib = koffi.load(nativeModule.libraryPath().file);
  const methods = lib.func('void *cx_methods()');
  const free = lib.func('void cx_free(void *p)');
  const ptr = methods();
  assert.ok(ptr, 'cx_methods() returned NULL');
  try {
    return JSON.parse(koffi.decode.string(ptr));
  } finally {
    free(ptr);
  }
}

const doc = loadCxMethods();
const cxMethods = new Map(doc.methods.map((m) => [m.name, m]));

test('cx_methods() is readable and lists methods', () => {
  assert.ok(cxMethods.size >= 20, `only ${cxMethods.size} methods in cx_methods()`);
  for (const m of doc.methods) assert.ok(Array.isArray(m.args ?? []), m.name);
});

test('the client table has exactly the methods of cx_methods(), in camelCase', () => {
  const expected = [...cxMethods.keys()].map(camel).sort();
  const actual = Object.keys(METHODS).sort();
  const missing = expected.filter((n) => !actual.includes(n));
  const extra = actual.filter((n) => !expected.includes(n));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, 'CxReportsClient and cx_methods() list different methods');
  for (const [name, spec] of Object.entries(METHODS)) {
    assert.equal(camel(spec.method), name, `${name} runs the C method ${spec.method}`);
  }
});

test("the client's C_ARGS and FILTER follow the naming rules", () => {
  for (const [nodeName, c] of Object.entries(C_ARGS)) {
    assert.deepEqual([c], cArgsOf(nodeName), `C_ARGS.${nodeName}`);
  }
  assert.deepEqual(Object.values(FILTER), GROUPED.filter.c);
  for (const [js, c] of Object.entries(FILTER)) assert.equal(js, camel(c));
});

for (const m of doc.methods) {
  const name = camel(m.name);
  test(`${name}: every argument of ${m.name} is reachable, nothing else is`, () => {
    const spec = METHODS[name];
    assert.ok(spec, `${name} is missing from the client`);
    const cArgs = (m.args ?? []).map((a) => a.name);
    const reach = []; // [c, nodeName, kind]
    for (const p of spec.params) for (const c of cArgsOf(p)) reach.push([c, p, 'positional']);
    assert.ok(!spec.params.includes('opts'), `${name}: opts is not a positional parameter`);
    for (const o of spec.options) {
      if (Object.hasOwn(BINDING_OPTIONS, o)) continue;
      for (const c of cArgsOf(o)) reach.push([c, o, 'option']);
    }
    for (const [c, nodeName, kind] of reach) {
      assert.ok(cArgs.includes(c), `${name}: the ${kind} ${nodeName} maps to "${c}", which ${m.name} does not take (it takes ${cArgs.join(', ')})`);
      if (!Object.hasOwn(RENAMED, nodeName) && !Object.hasOwn(GROUPED, nodeName)) {
        assert.equal(nodeName, camel(c), `${name}: the Node name of "${c}" is ${camel(c)}`);
      }
    }
    for (const c of cArgs) {
      const n = reach.filter((r) => r[0] === c).length;
      if (Object.hasOwn(NOT_EXPOSED, c)) {
        assert.equal(n, 0, `${name}: "${c}" is listed as not exposed, yet the client maps it`);
      } else {
        assert.equal(n, 1, `${name}: the argument "${c}" of ${m.name} is reachable ${n} times (positional: ${spec.params.join(', ') || '-'}; options: ${spec.options.join(', ')})`);
      }
    }
    // Required C arguments are positional; positional ones keep the C order.
    for (const a of m.args ?? []) {
      if (a.required) {
        assert.ok(reach.some((r) => r[0] === a.name && r[2] === 'positional'), `${name}: the required argument "${a.name}" must be positional`);
      }
    }
    const positional = reach.filter((r) => r[2] === 'positional').map((r) => cArgs.indexOf(r[0]));
    assert.deepEqual(positional, [...positional].sort((x, y) => x - y), `${name}: positional parameters out of the C order (${cArgs.join(', ')})`);
    // Binding options.
    for (const o of spec.options) {
      const c = cArgsOf(o);
      if (!c.every((x) => cArgs.includes(x))) {
        assert.ok(Object.hasOwn(BINDING_OPTIONS, o), `${name}: the option ${o} has no C argument and is not a documented binding option`);
      }
    }
    assert.ok(spec.options.includes('signal'), `${name} takes opts.signal`);
    assert.equal(spec.options.includes('onProgress'), Boolean(m.progress), `${name}: onProgress iff cx_methods() says progress: ${m.progress}`);
    assert.equal(new Set(spec.options).size, spec.options.length, `${name}: options listed twice`);
  });
}

test('CxReportsClient has the table methods and the documented helpers, nothing else', () => {
  const proto = cx.CxReportsClient.prototype;
  const own = Reflect.ownKeys(proto).map((k) => (k === Symbol.asyncDispose ? '[Symbol.asyncDispose]' : String(k)));
  const extra = own.filter((k) => !Object.hasOwn(METHODS, k) && !Object.hasOwn(HELPERS, k));
  assert.deepEqual(extra, [], 'public members of CxReportsClient that cx_methods() lacks (add them to HELPERS with a reason, or remove them)');
  for (const helper of Object.keys(HELPERS)) {
    if (helper === '[Symbol.asyncDispose]' && typeof Symbol.asyncDispose !== 'symbol') continue;
    assert.ok(own.includes(helper), `HELPERS lists ${helper}, which the client no longer has`);
  }
  for (const [name, spec] of Object.entries(METHODS)) {
    assert.equal(typeof proto[name], 'function', name);
    assert.equal(proto[name].length, spec.params.length + 1, `${name}.length`);
  }
});

// --- the methods send what the table says ---------------------------------------------

let client;
let spied;
let realStart;
before(() => {
  const n = nativeModule.native();
  realStart = n.start;
  n.start = (handle, method, argsJson, entry) => {
    spied = { method, args: JSON.parse(argsJson) };
    queueMicrotask(() => entry.finish({ ok: true, data: null }, Buffer.alloc(0)));
    return { spied: true };
  };
  client = new cx.CxReportsClient({ baseUrl: 'http://127.0.0.1:9', token: 'surface-test', defaultWorkspaceId: 1 });
});
after(async () => {
  nativeModule.native().start = realStart;
  await client.close();
});

for (const m of doc.methods) {
  const name = camel(m.name);
  test(`${name} sends each parameter and option under its ${m.name} argument`, async () => {
    const spec = METHODS[name];
    assert.ok(spec, `${name} is missing from the client`);
    const positional = [];
    const want = {};
    for (const p of spec.params) {
      if (p === 'filter') {
        positional.push({ type: 'v-type', offset: 11, limit: 12 });
        Object.assign(want, { type: 'v-type', offset: 11, limit: 12 });
      } else if (p === 'path') {
        positional.push('v-path');
        want.path = path.resolve('v-path');
      } else {
        positional.push(`v-${p}`);
        want[cArgsOf(p)[0]] = `v-${p}`;
      }
    }
    const opts = {};
    spec.options.forEach((o, i) => {
      if (o === 'signal') opts.signal = new AbortController().signal;
      else if (o === 'onProgress') opts.onProgress = () => {};
      else if (o === 'outDir') {
        opts.outDir = 'v-outDir';
        want.out_dir = path.resolve('v-outDir');
      }
      else if (Object.hasOwn(DURATIONS, o)) {
        opts[o] = 1000 * (i + 1) + 500;
        want[cArgsOf(o)[0]] = i + 1.5;
      } else {
        opts[o] = `v-${o}`;
        want[cArgsOf(o)[0]] = `v-${o}`;
      }
    });
    // A stream (renderBatch) is an async iterator whose call starts at the first next().
    const settle = (r) => (spec.result === 'stream' ? r.next() : r);
    spied = null;
    await settle(client[name](...positional, opts));
    assert.ok(spied, `${name} did not start a call`);
    assert.equal(spied.method, m.name);
    assert.deepEqual(spied.args, want);
    // Options outside the table are refused, not ignored.
    await assert.rejects(settle(client[name](...positional, { surfaceTestUnknown: 1 })), (err) => err.code === 'invalid_argument');
  });
}

// --- index.d.ts -------------------------------------------------------------------------

/** Splits at depth 0 on any of `seps`, ignoring brackets' contents. */
function splitTop(text, seps) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if ('({[<'.includes(ch)) depth++;
    else if (')}]>'.includes(ch) && !(ch === '>' && cur.endsWith('='))) depth--;
    if (depth === 0 && seps.includes(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** The text between the bracket at `open` ('{' or '(') and its match. */
function enclosed(text, open) {
  const [o, c] = text[open] === '(' ? '()' : '{}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`index.d.ts: unbalanced ${o}${c}`);
}

const dts = fs
  .readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\/\/.*$/gm, '');

/** Member names of an object type's body: `name?: T;` / `name: T;` (index signatures skipped). */
function memberNames(body) {
  return splitTop(body, ';\n,')
    .map((s) => /^(readonly\s+)?([A-Za-z_$][\w$]*)\??\s*:/.exec(s))
    .filter(Boolean)
    .map((r) => r[2]);
}

const interfaces = new Map();
for (const r of dts.matchAll(/export\s+interface\s+(\w+)\s*(?:extends\s+([\w\s,]+?))?\s*\{/g)) {
  const body = enclosed(dts, r.index + r[0].length - 1);
  interfaces.set(r[1], { bases: r[2] ? r[2].split(',').map((s) => s.trim()) : [], own: memberNames(body) });
}

/** Keys of a type expression made of interface names, `{ ... }` literals, & and |. */
function typeKeys(expr) {
  const keys = new Set();
  for (const part of splitTop(expr, '&|')) {
    if (part.startsWith('{')) {
      for (const k of memberNames(part.slice(1, -1))) keys.add(k);
    } else if (interfaces.has(part)) {
      const walk = (n) => {
        const i = interfaces.get(n);
        assert.ok(i, `index.d.ts: unknown interface ${n}`);
        i.bases.forEach(walk);
        i.own.forEach((k) => keys.add(k));
      };
      walk(part);
    } else {
      assert.ok(['string', 'null', 'undefined'].includes(part), `index.d.ts: cannot read the type ${part}`);
    }
  }
  return [...keys];
}

function declaredMembers() {
  const at = dts.search(/export\s+declare\s+class\s+CxReportsClient\s*\{/);
  assert.ok(at >= 0, 'index.d.ts declares no class CxReportsClient');
  const body = enclosed(dts, dts.indexOf('{', at));
  const members = new Map();
  for (const stmt of splitTop(body, ';')) {
    const r = /^(\[[^\]]+\]|[A-Za-z_$][\w$]*)\s*\(/.exec(stmt);
    assert.ok(r, `index.d.ts: cannot read the member ${JSON.stringify(stmt)}`);
    const inner = enclosed(stmt, r[0].length - 1);
    const params = splitTop(inner, ',').map((p) => {
      const pr = /^([A-Za-z_$][\w$]*)(\?)?\s*:\s*([^]*)$/.exec(p);
      assert.ok(pr, `index.d.ts: cannot read the parameter ${JSON.stringify(p)} of ${r[1]}`);
      return { name: pr[1], optional: Boolean(pr[2]), type: pr[3].trim() };
    });
    members.set(r[1], params);
  }
  return members;
}

test('index.d.ts declares every method with the same parameters and options', () => {
  const members = declaredMembers();
  const declared = [...members.keys()];
  const expected = [...Object.keys(METHODS), ...Object.keys(HELPERS)];
  assert.deepEqual(
    { missing: expected.filter((n) => !declared.includes(n)), extra: declared.filter((n) => !expected.includes(n)) },
    { missing: [], extra: [] },
    'index.d.ts and the client declare different methods',
  );
  for (const [name, spec] of Object.entries(METHODS)) {
    const m = cxMethods.get(spec.method);
    const params = members.get(name);
    assert.deepEqual(params.map((p) => p.name), [...spec.params, 'opts'], `index.d.ts: the parameters of ${name}`);
    for (const p of params.slice(0, -1)) {
      const required = cArgsOf(p.name).some((c) => (m.args ?? []).find((a) => a.name === c)?.required);
      assert.equal(!p.optional, required, `index.d.ts: ${name}'s ${p.name} is ${p.optional ? 'optional' : 'required'}, cx_methods() says ${required ? 'required' : 'optional'}`);
      if (Object.hasOwn(GROUPED, p.name)) {
        assert.deepEqual(typeKeys(p.type).sort(), Object.keys(FILTER).sort(), `index.d.ts: the keys of ${name}'s ${p.name}`);
      }
    }
    const opts = params[params.length - 1];
    assert.ok(opts.optional, `index.d.ts: ${name}'s opts is optional`);
    assert.deepEqual(typeKeys(opts.type).sort(), [...spec.options].sort(), `index.d.ts: the options of ${name} (${opts.type})`);
  }
});
