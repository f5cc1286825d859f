'use strict';
// cxreports/official: a CxReportsClient with the method names, argument shapes and
// result types of the official TypeScript client (@cx-reports/api-client 0.1.7), so
// that code written for it runs after changing the import. It is an adapter over the
// main client (lib/client.js): every request goes through the same library, with its
// retries, its "never send twice" rule for POSTs and its cancellation. Only the two URL
// builders are computed here, because the official client builds them synchronously and
// without a network call, keeping the caller's nonce.
//
// Where the official client is plainly broken this one does better (README, "Switching
// from @cx-reports/api-client"): errors carry the server's message, the status and the
// request id; calls time out and retry; getReportTypes exists; arguments it would ignore
// are refused instead.

const { CxReportsClient: MainClient } = require('./client');
const { CxReportsError } = require('./errors');
const { describe } = require('./units');

// The core's limit on a request URL (docs/contract.md, MaxURLLength): a longer preview or
// download URL would be refused by common servers with 414.
const MAX_URL_LENGTH = 64 << 10;

// The keys each method's argument object accepts. Three spellings from the official
// README that its own client ignores are taken for what they plainly mean (ALIASES).
const WORKSPACE_KEYS = ['workspaceId', 'workspaceCode'];
const REPORT_KEYS = [...WORKSPACE_KEYS, 'reportId', 'reportTypeCode', 'params', 'data', 'tempDataId', 'nonce', 'timezone'];
const ALIASES = { reportType: 'reportTypeCode', tmpDataId: 'tempDataId' };
const QUERY_KEYS = ['type', 'offset', 'limit'];

function invalidArgument(message) {
  return new CxReportsError(`cxreports/official: ${message}`, { code: 'invalid_argument' });
}

/** The argument object of `method`, checked against `allowed`; aliases resolved. */
function argsOf(method, given, allowed, { required = false, aliases = {} } = {}) {
  if (given === undefined || given === null) {
    if (required) throw invalidArgument(`${method} needs an argument object, e.g. { reportId }`);
    return {};
  }
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw invalidArgument(`${method}: the argument must be an object, got ${describe(given)}`);
  }
  const out = {};
  for (const [key, value] of Object.entries(given)) {
    const name = Object.hasOwn(aliases, key) ? aliases[key] : key;
    if (!allowed.includes(name)) {
      throw invalidArgument(`${method}: unknown key ${JSON.stringify(key)}; it accepts ${allowed.join(', ')}`);
    }
    if (name !== key && given[name] !== undefined && value !== undefined && given[name] !== value) {
      throw invalidArgument(`${method}: ${key} and ${name} name the same thing and differ; give only ${name}`);
    }
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** An optional trailing AbortSignal, as the main client's `signal` option. */
function signalOpt(method, signal) {
  if (signal === undefined || signal === null) return {};
  if (!(typeof signal === 'object' && typeof signal.addEventListener === 'function' && 'aborted' in signal)) {
    throw invalidArgument(`${method}: the last argument must be an AbortSignal, got ${describe(signal)}`);
  }
  return { signal };
}

/** Runs `fn` and turns a synchronous throw into a rejection, as an async method does. */
function rejecting(fn) {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The official rule: `x ? JSON.stringify(x) : null` (a falsy value is left out). */
function jsonText(x) {
  return x ? JSON.stringify(x) : undefined;
}

/** The nonce as a string; the official README passes the whole { nonce } object. */
function nonceText(method, nonce) {
  if (nonce === undefined || nonce === null) return undefined;
  if (typeof nonce === 'string') return nonce;
  if (typeof nonce === 'object' && typeof nonce.nonce === 'string') return nonce.nonce;
  throw invalidArgument(`${method}: nonce must be the string of createNonceAuthToken()'s { nonce }, got ${describe(nonce)}`);
}

// The body of downloadPDF's Response: the library's stream (openPdf), pulled only as
// the consumer reads, so the network is read at its pace and memory stays flat for any
// size. Cancelling the body (or the signal) ends the download.
async function pdfBody(main, report, query, opts) {
  const stream = await main.openPdf(report, query, opts);
  const pieces = stream[Symbol.asyncIterator]();
  const body = new ReadableStream({
    type: 'bytes',
    async pull(controller) {
      const { value, done } = await pieces.next();
      if (done) {
        controller.close();
        return;
      }
      // A byte stream takes over (detaches) the chunk's whole ArrayBuffer: hand over one
      // the piece owns alone, and a copy of a piece that shares Node's buffer pool.
      const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
      controller.enqueue(whole ? new Uint8Array(value.buffer) : new Uint8Array(value));
    },
    cancel() {
      stream.destroy();
    },
  });
  return { body, contentType: stream.contentType || 'application/pdf', contentLength: stream.length };
}

class CxReportsClient {
  /** The configuration, as the official client keeps it (baseUrl without a trailing '/'). */
  config;
  #main = null;
  #mainKey = '';

  constructor(config) {
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw new CxReportsError('cxreports/official: new CxReportsClient(config) needs { baseUrl, authToken, defaultWorkspaceId?, defaultTimezone? }', {
        code: 'invalid_config',
      });
    }
    for (const key of Object.keys(config)) {
      if (!['baseUrl', 'authToken', 'defaultWorkspaceId', 'defaultTimezone'].includes(key)) {
        throw new CxReportsError(`cxreports/official: unknown config key ${JSON.stringify(key)}; the keys are baseUrl, authToken, defaultWorkspaceId, defaultTimezone`, {
          code: 'invalid_config',
        });
      }
    }
    // A copy: the official client trims the caller's own object.
    this.config = { ...config };
    if (typeof this.config.baseUrl === 'string') this.config.baseUrl = this.config.baseUrl.trim().replace(/\/+$/, '');
    this.#client(); // the library checks baseUrl and authToken now, not at the first call
  }

  /**
   * The main client for the current baseUrl and authToken. `config` stays writable as in
   * the official client: a changed URL or token gets a client of its own (the previous
   * one is freed once its calls are done and it is garbage-collected); the workspace
   * and timezone are read at each call.
   */
  #client() {
    const { baseUrl, authToken } = this.config;
    const key = JSON.stringify([baseUrl, authToken]);
    if (this.#main && key === this.#mainKey) return this.#main;
    if (typeof authToken !== 'string' || authToken === '') {
      throw new CxReportsError('cxreports/official: config.authToken must be your personal access token (a non-empty string)', { code: 'invalid_config' });
    }
    this.#main = new MainClient({ baseUrl, token: authToken });
    this.#mainKey = key;
    return this.#main;
  }

  /** workspaceId, else workspaceCode, else config.defaultWorkspaceId (as the official client). */
  #workspace(method, a) {
    const ws = a.workspaceId ?? a.workspaceCode ?? this.config.defaultWorkspaceId;
    if (ws === undefined || ws === null || ws === '') {
      throw invalidArgument(`${method}: no workspace: give workspaceId or workspaceCode, or set defaultWorkspaceId in the config`);
    }
    if (typeof ws !== 'number' && typeof ws !== 'string') {
      throw invalidArgument(`${method}: a workspace is an id (number) or a code (string), got ${describe(ws)}`);
    }
    return ws;
  }

  /** reportId, else reportTypeCode. */
  #report(method, a) {
    const r = a.reportId ?? a.reportTypeCode;
    if (r === undefined || r === null || r === '') {
      throw invalidArgument(`${method}: give reportId (a report's id) or reportTypeCode (a report type's code, e.g. "invoice")`);
    }
    if (typeof r !== 'number' && typeof r !== 'string') {
      throw invalidArgument(`${method}: reportId is a number and reportTypeCode a string, got ${describe(r)}`);
    }
    return r;
  }

  /** The query of a PDF or preview URL, in the official client's keys, order and encoding. */
  #urlQuery(method, a) {
    return {
      params: jsonText(a.params),
      data: jsonText(a.data),
      nonce: nonceText(method, a.nonce),
      tempDataId: a.tempDataId,
      timezone: a.timezone ?? this.config.defaultTimezone,
    };
  }

  /** base + apiPath + ws/{ws}/reports/{report}/{leaf}?query, each value percent-encoded. */
  #reportUrl(method, given, apiPath, leaf) {
    const a = argsOf(method, given, REPORT_KEYS, { required: true, aliases: ALIASES });
    const ws = this.#workspace(method, a);
    const report = this.#report(method, a);
    let url = `${this.config.baseUrl}${apiPath}ws/${encodeURIComponent(ws)}/reports/${encodeURIComponent(report)}/${leaf}`;
    const q = Object.entries(this.#urlQuery(method, a))
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    if (q) url += `?${q}`;
    if (url.length > MAX_URL_LENGTH) {
      throw new CxReportsError(
        `cxreports/official: ${method}: the URL would be ${url.length} bytes, over the ${MAX_URL_LENGTH}-byte limit servers accept; ` +
          'push large data with pushTemporaryData and pass its tempDataId instead',
        { code: 'invalid_input' },
      );
    }
    return url;
  }

  getWorkspaces(signal) {
    return rejecting(() => this.#client().getWorkspaces(signalOpt('getWorkspaces', signal)));
  }

  /** Not in the official client (its README calls it): the workspace's report types. */
  getReportTypes(params, signal) {
    return rejecting(() => {
      const a = argsOf('getReportTypes', params, WORKSPACE_KEYS);
      return this.#client().getReportTypes({ workspaceId: this.#workspace('getReportTypes', a), ...signalOpt('getReportTypes', signal) });
    });
  }

  /** { workspaceId | workspaceCode, query: { type, offset, limit } }; a top-level type/offset/limit (the README's call) counts as query's. */
  getReports(params, signal) {
    return rejecting(() => {
      const a = argsOf('getReports', params, [...WORKSPACE_KEYS, 'query', ...QUERY_KEYS]);
      const query = argsOf('getReports', a.query, QUERY_KEYS);
      for (const k of QUERY_KEYS) {
        if (a[k] === undefined) continue;
        if (query[k] !== undefined && query[k] !== a[k]) throw invalidArgument(`getReports: ${k} is given twice, at the top and in query, with different values`);
        query[k] = a[k];
      }
      return this.#client().getReports(query, { workspaceId: this.#workspace('getReports', a), ...signalOpt('getReports', signal) });
    });
  }

  /**
   * GET .../pdf as a WHATWG Response (status 200, Content-Type, Content-Length) whose
   * body streams. A failed call rejects with CxReportsError, as the official client's.
   */
  downloadPDF(params, signal) {
    return rejecting(async () => {
      const method = 'downloadPDF';
      const a = argsOf(method, params, REPORT_KEYS, { required: true, aliases: ALIASES });
      const ws = this.#workspace(method, a);
      const report = this.#report(method, a);
      const q = this.#urlQuery(method, a);
      const query = {};
      for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null) query[k] = v;
      // params goes as the object: the library encodes it (base64url JSON), which the
      // server reads as it reads the official client's JSON text.
      if (a.params) query.params = a.params;
      const { body, contentType, contentLength } = await pdfBody(this.#client(), report, query, {
        workspaceId: ws,
        ...signalOpt(method, signal),
      });
      return new Response(body, {
        status: 200,
        headers: contentLength === null
          ? { 'Content-Type': contentType }
          : { 'Content-Type': contentType, 'Content-Length': String(contentLength) },
      });
    });
  }

  /** The PDF download URL (API path), built offline; it carries no token. */
  getReportPdfDownloadURL(params) {
    return this.#reportUrl('getReportPdfDownloadURL', params, '/api/v1/', 'pdf');
  }

  /** The iframe preview URL (no API path), built offline with the caller's nonce. */
  getReportPreviewURL(params) {
    return this.#reportUrl('getReportPreviewURL', params, '/', 'preview');
  }

  createNonceAuthToken(signal) {
    return rejecting(() => this.#client().createAuthToken(signalOpt('createNonceAuthToken', signal)));
  }

  /** POST .../temporary-data {content, expiryDate}; expires is a Date (an ISO 8601 string is taken too). */
  pushTemporaryData(params, signal) {
    return rejecting(() => {
      const method = 'pushTemporaryData';
      const a = argsOf(method, params, [...WORKSPACE_KEYS, 'content', 'expires'], { required: true });
      let expiryDate;
      if (a.expires instanceof Date) {
        if (Number.isNaN(a.expires.getTime())) throw invalidArgument(`${method}: expires is an invalid Date`);
        expiryDate = a.expires.toISOString();
      } else if (typeof a.expires === 'string') {
        expiryDate = a.expires;
      } else if (a.expires !== undefined) {
        throw invalidArgument(`${method}: expires must be a Date, got ${describe(a.expires)}`);
      }
      // The options argument is always given, so the main client sends `content` as the
      // data even when it looks like an official-shaped argument itself.
      const opts = { workspaceId: this.#workspace(method, a), ...signalOpt(method, signal) };
      if (expiryDate !== undefined) opts.expiryDate = expiryDate;
      return this.#client().pushTemporaryData(a.content, opts);
    });
  }

  /** Not in the official client: frees the library's client (calls in flight are cancelled). */
  close() {
    return this.#main ? this.#main.close() : Promise.resolve();
  }
}

if (typeof Symbol.asyncDispose === 'symbol') {
  CxReportsClient.prototype[Symbol.asyncDispose] = function asyncDispose() {
    return this.close();
  };
}

module.exports = { CxReportsClient, CxReportsError };
