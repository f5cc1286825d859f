'use strict';
// cxreports/official against the test vectors of official-vectors.json: each call of the
// official client's README and examples/, made in its shape through cxreports/official
// against the fake, must send the request the official client sends (or the same in
// meaning) and give a result of the same kind, except where a vector says "ours" and why.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { useFake, FAKE } = require('./fake');
const { PKG_DIR } = require('./pkg');

const official = require(path.join(PKG_DIR, 'official'));
const main = require(PKG_DIR);
const VECTORS = require('./official-vectors.json');

const fx = useFake();

/** Replaces the $placeholders of a vector's value (strings whole or inside, objects deeply). */
function resolve(value, ctx) {
  if (typeof value === 'string') {
    if (Object.hasOwn(ctx.whole, value)) return ctx.whole[value];
    return value.replace(/\$(\w+)/g, (m, k) => (Object.hasOwn(ctx.text, k) ? ctx.text[k] : m));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, ctx));
  if (value && typeof value === 'object') {
    // { "date": ISO } stands for a Date argument, which JSON cannot hold.
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'date') return new Date(value.date);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, ctx)]));
  }
  return value;
}

/** params and data as the JSON value they carry: JSON text, or base64url of JSON text. */
function decodeJsonValue(text) {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  }
}

/** A query string as { key: value } compared by meaning (see the vectors' "about"). */
function decodedQuery(raw) {
  const out = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    assert.ok(!Object.hasOwn(out, k), `query key ${k} sent twice in ${raw}`);
    out[k] = k === 'params' || k === 'data' ? decodeJsonValue(v) : v;
  }
  return out;
}

async function checkResult(kind, result, call, dir) {
  switch (kind) {
    case 'Response': {
      assert.ok(result instanceof Response, 'a WHATWG Response');
      assert.equal(result.status, 200);
      assert.equal(result.headers.get('content-type'), 'application/pdf');
      assert.ok(result.body instanceof ReadableStream, 'the body is a ReadableStream');
      let bytes;
      if (call.toFile) {
        // As examples/download-pdf.ts does with the body.
        const file = path.join(dir, 'document.pdf');
        await pipeline(Readable.fromWeb(result.body), fs.createWriteStream(file));
        bytes = fs.readFileSync(file);
      } else {
        bytes = Buffer.from(await result.arrayBuffer());
      }
      assert.equal(Number(result.headers.get('content-length')), bytes.length);
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      return;
    }
    case 'Workspace[]':
    case 'ReportType[]':
    case 'Report[]': {
      assert.ok(Array.isArray(result) && result.length > 0, `${kind}: ${JSON.stringify(result)}`);
      for (const x of result) {
        assert.equal(typeof x.id, 'number');
        assert.equal(typeof x.name, 'string');
        if (kind === 'Report[]') assert.equal(typeof x.reportTypeId, 'number');
        else assert.equal(typeof x.code, 'string');
      }
      return;
    }
    case 'NonceToken':
      assert.equal(typeof result.nonce, 'string');
      assert.ok(result.nonce.length > 0);
      return;
    case 'TemporaryData':
      assert.equal(typeof result.tempDataId, 'number');
      assert.equal(typeof result.expiryDate, 'string');
      return;
    case 'URL':
      assert.equal(typeof result, 'string');
      return;
    default:
      assert.fail(`unknown result kind ${kind}`);
  }
}

for (const scenario of VECTORS.scenarios) {
  test(scenario.source, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxreports-official-'));
    const client = new official.CxReportsClient({
      baseUrl: fx.fake.url,
      authToken: fx.fake.token,
      defaultWorkspaceId: String(fx.fake.workspaceId),
      ...scenario.config,
    });
    const ctx = { whole: {}, text: { ws: String(fx.fake.workspaceId), url: fx.fake.url } };
    try {
      for (const call of scenario.calls) {
        const want = call.ours || call.official;
        const label = `${call.call}(${JSON.stringify(call.args).slice(1, -1)})`;
        t.diagnostic(call.ours ? `${label}: deliberately not as the official client: ${call.why}` : label);
        await fx.fake.reset();
        const args = resolve(call.args, ctx);
        let result;
        let error;
        try {
          result = client[call.call](...args);
          // The URL builders are synchronous, as the official client's.
          if (want.result === 'URL') assert.equal(typeof result, 'string', `${label} returns the URL itself, not a promise`);
          result = await result;
        } catch (e) {
          error = e;
        }
        if (want.result === 'CxReportsError') {
          assert.ok(error instanceof official.CxReportsError, `${label} should fail with CxReportsError, got ${error || JSON.stringify(result)}`);
          assert.ok(error instanceof main.CxReportsError, 'the same class as the main entry');
        } else {
          assert.ifError(error);
          await checkResult(want.result, result, call, dir);
        }

        const recorded = await fx.fake.requests();
        if (want.request) {
          assert.equal(recorded.length, 1, `${label}: one request, got ${JSON.stringify(recorded)}`);
          const [r] = recorded;
          const w = resolve(want.request, ctx);
          assert.equal(r.method, w.method, label);
          assert.equal(r.path, w.path.replace(/%20/g, ' '), label);
          assert.deepEqual(decodedQuery(r.raw_query || ''), w.query, `${label}: query ${r.raw_query}`);
          if (w.body !== undefined) assert.deepEqual(JSON.parse(r.body), w.body, `${label}: body`);
          else assert.equal(r.body || '', '', `${label}: no body`);
          const auth = r.header.Authorization || r.header.authorization;
          assert.deepEqual(auth, [`Bearer ${fx.fake.token}`], `${label}: the token as Bearer`);
        } else {
          assert.deepEqual(recorded, [], `${label} sends nothing`);
        }
        if (want.url) assert.equal(result, resolve(want.url, ctx), label);

        if (call.open) {
          // The URL works: the preview page takes the nonce, the PDF URL the token.
          const o = resolve(call.open, ctx);
          await fx.fake.reset();
          const res = await fetch(result, o.token ? { headers: { authorization: `Bearer ${fx.fake.token}` } } : {});
          await res.arrayBuffer();
          assert.equal(res.status, o.status, `${label}: opening ${result}`);
          const [r] = await fx.fake.requests();
          assert.equal(r.path, o.path.replace(/%20/g, ' '));
        }

        if (call.keep === 'nonceToken') {
          ctx.whole.$nonceToken = result;
          ctx.text.nonce = result.nonce;
        } else if (call.keep === 'temporaryData') {
          ctx.whole.$tempDataId = result.tempDataId;
          ctx.text.tempDataId = String(result.tempDataId);
        }
      }
    } finally {
      await client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the vectors cover every call of the official README and examples', () => {
  const calls = new Set(VECTORS.scenarios.flatMap((s) => s.calls.map((c) => c.call)));
  for (const name of ['downloadPDF', 'getReports', 'getReportTypes', 'getWorkspaces', 'createNonceAuthToken', 'getReportPreviewURL', 'pushTemporaryData', 'getReportPdfDownloadURL']) {
    assert.ok(calls.has(name), name);
    assert.equal(typeof official.CxReportsClient.prototype[name], 'function', name);
  }
  assert.ok(fs.existsSync(FAKE));
});
