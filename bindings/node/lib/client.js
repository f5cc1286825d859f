'use strict';
// CxReportsClient: the Python client's methods in camelCase, each a thin mapping onto a
// C ABI method (docs/contract.md, "C ABI"), all made from one table (METHODS). All API
// logic (URLs, query encoding, retries, errors, streaming to disk) lives in the Go core;
// this file only names arguments, converts units and shapes results.

const nodePath = require('node:path');
const { native } = require('./native');
const { configJson } = require('./config');
const { msToSeconds, describe } = require('./units');
const results = require('./results');
const { ReportStream } = require('./stream');
const { CxReportsError, errorFromEnvelope, abortErrorFor } = require('./errors');

// Per-call option names, by the methods that accept them. onProgress is accepted only
// where the library reports progress (the downloads, the waits and exportToFile), so it
// is never silently ignored.
const BASE = ['signal', 'timeout'];
const WS = [...BASE, 'workspaceId'];
const RENDER = [...WS, 'theme', 'template'];
const DOWNLOAD = [...WS, 'onProgress'];
const RENDER_DOWNLOAD = [...RENDER, 'onProgress'];
const WAIT = [...WS, 'pollInterval', 'maxInterval', 'onProgress'];
const BATCH = [...BASE, 'outDir', 'concurrency', 'force', 'retries', 'onProgress'];

// A client the caller dropped without close() is freed when garbage-collected. Pending
// calls hold their client (see #call), so this never cancels a call still awaited.
const finalizer = new FinalizationRegistry((handle) => {
  native().clientFree(handle).catch(() => {});
});

function invalidArgument(message) {
  return new CxReportsError(`cxreports: ${message}`, { code: 'invalid_argument' });
}

/** Checks a per-call options object against the names `method` accepts. */
function checkOptions(method, opts, allowed) {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw invalidArgument(`${method}: the options argument must be an object, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw invalidArgument(`${method}: unknown option ${JSON.stringify(key)}; it accepts ${allowed.join(', ')}`);
    }
  }
  if (opts.signal !== undefined && !(opts.signal && typeof opts.signal.addEventListener === 'function' && 'aborted' in opts.signal)) {
    throw invalidArgument(`${method}: signal must be an AbortSignal`);
  }
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw invalidArgument(`${method}: onProgress must be a function`);
  }
  return opts;
}

// The argument shape of the official client's pushTemporaryData ({ content, workspaceId,
// expires }). Passed as this client's `data` with no options, it would be sent nested as
// {"content":{"content":...}} to the default workspace and succeed: checkPushData refuses it.
const OFFICIAL_PUSH_KEYS = ['content', 'workspaceId', 'workspaceCode', 'expires'];

/**
 * pushTemporaryData(data) with no options argument, where data is a plain object whose
 * keys are all among OFFICIAL_PUSH_KEYS and include `content`, is the official shape
 * written against this client: invalid_argument, naming the right call. A caller whose
 * data really is { content: ... } passes the options argument (even {}), which only this
 * client's shape has, and the object is sent as it is.
 */
function checkPushData(given) {
  const [data, opts] = given;
  if (opts !== undefined || data === null || typeof data !== 'object') return;
  const proto = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== null) return;
  const keys = Object.keys(data);
  if (!keys.includes('content') || !keys.every((k) => OFFICIAL_PUSH_KEYS.includes(k))) return;
  const opt = [];
  if (keys.includes('workspaceId') || keys.includes('workspaceCode')) opt.push('workspaceId');
  if (keys.includes('expires')) opt.push('expiryDate: expires.toISOString()');
  throw invalidArgument(
    `pushTemporaryData: got { ${keys.join(', ')} }, the argument shape of @cx-reports/api-client; this client takes ` +
      `pushTemporaryData(data, { workspaceId, expiryDate }) and sends data itself as the content, so this would send ` +
      `{"content":{"content":...}}. Write pushTemporaryData(content${opt.length ? `, { ${opt.join(', ')} }` : ', {}'}), ` +
      "or use require('cxreports/official') for the official shapes. If { content: ... } really is your data, " +
      'pass the options argument (even {}) and it is sent as it is',
  );
}

function checkPath(method, p) {
  if (typeof p !== 'string' || p === '') {
    throw invalidArgument(`${method}: path must be a non-empty string (the file to write), got ${describe(p)}`);
  }
  return nodePath.resolve(p);
}

// The C ABI argument behind each Node parameter and option name: the camelCase of the
// seed's (Python) name, except `body` (request_body), the name this package has always
// used. `filter` (getReports) is a group: { type, offset, limit }. The options without a
// C argument are the binding's own: signal (cancels through cx_cancel) and onProgress
// (the progress events of cx_inbox_call).
const C_ARGS = {
  reportId: 'report_id',
  tempFileId: 'temp_file_id',
  jobId: 'job_id',
  runId: 'run_id',
  path: 'path',
  params: 'params',
  body: 'request_body',
  queryParams: 'query_params',
  data: 'data',
  theme: 'theme',
  template: 'template',
  expiryDate: 'expiry_date',
  workspaceId: 'workspace_id',
  timeout: 'timeout',
  pollInterval: 'poll_interval',
  maxInterval: 'max_interval',
  items: 'items',
  outDir: 'out_dir',
  concurrency: 'concurrency',
  force: 'force',
  retries: 'retries',
};
const FILTER = { type: 'type', offset: 'offset', limit: 'limit' };
// The order the options land in the argument object; the durations are milliseconds
// here and seconds in the C ABI.
const OPTION_ORDER = ['theme', 'template', 'expiryDate', 'data', 'workspaceId', 'outDir', 'concurrency', 'force', 'retries',
  'timeout', 'pollInterval', 'maxInterval'];
const DURATIONS = ['timeout', 'pollInterval', 'maxInterval'];

// Every method: Node name -> the C ABI method, its positional parameters (Node names,
// in the order of the C ABI's arguments), the per-call options it accepts and the
// result kind: 'json' (envelope data), 'bytes' (Buffer), 'download' (Download object),
// 'none' (undefined), 'stream' (an async iterator of the call's item events). The methods of CxReportsClient are made from this table, and
// test/surface.test.js checks it against cx_methods() and index.d.ts.
const METHODS = {
  // Workspaces and catalogues
  getWorkspaces: { method: 'get_workspaces', params: [], options: BASE, result: 'json' },
  getReportTypes: { method: 'get_report_types', params: [], options: WS, result: 'json' },
  getThemes: { method: 'get_themes', params: [], options: WS, result: 'json' },
  getTemplates: { method: 'get_templates', params: [], options: WS, result: 'json' },
  // Reports; filter { type, offset, limit } (a string is taken as the type)
  getReports: { method: 'get_reports', params: ['filter'], options: WS, result: 'json' },
  getReportPages: { method: 'get_report_pages', params: ['reportId'], options: WS, result: 'json' },
  // Rendering. params is the Python client's dict (params, tempDataId, timezone, lang,
  // ...); body { params, data, lang, timezone, format, theme, template, ... }. The save*
  // methods stream to a file written by the library (never held in memory); getPdfUrl
  // builds the download URL without a network call and without the token.
  getPdf: { method: 'get_pdf', params: ['reportId', 'params'], options: RENDER_DOWNLOAD, result: 'bytes' },
  postPdf: { method: 'post_pdf', params: ['reportId', 'body'], options: DOWNLOAD, result: 'bytes' },
  savePdf: { method: 'save_pdf', params: ['reportId', 'path', 'params'], options: RENDER_DOWNLOAD, result: 'download' },
  savePostPdf: { method: 'save_post_pdf', params: ['reportId', 'path', 'body'], options: DOWNLOAD, result: 'download' },
  getPdfUrl: { method: 'get_pdf_url', params: ['reportId', 'params'], options: RENDER, result: 'json' },
  // Asynchronous export. waitForExport polls until Completed (Failed -> export_failed);
  // exportToFile is start_report_export + waitForExport + saveExportContent.
  startReportExport: { method: 'start_report_export', params: ['reportId', 'body'], options: WS, result: 'json' },
  getExportStatus: { method: 'get_export_status', params: ['tempFileId'], options: WS, result: 'json' },
  getExportContent: { method: 'get_export_content', params: ['tempFileId'], options: DOWNLOAD, result: 'bytes' },
  saveExportContent: { method: 'save_export_content', params: ['tempFileId', 'path'], options: DOWNLOAD, result: 'download' },
  waitForExport: { method: 'wait_for_export', params: ['tempFileId'], options: WAIT, result: 'json' },
  exportToFile: { method: 'export_to_file', params: ['reportId', 'path', 'body'], options: WAIT, result: 'download' },
  // Temporary data (opts.expiryDate is ISO 8601), nonce tokens, preview URLs (a fresh
  // nonce per URL; opts.data is pushed first as temporary data)
  pushTemporaryData: { method: 'push_temporary_data', params: ['data'], options: [...WS, 'expiryDate'], result: 'json' },
  createAuthToken: { method: 'create_auth_token', params: [], options: BASE, result: 'json' },
  getPreviewUrl: { method: 'get_preview_url', params: ['reportId', 'queryParams'], options: [...WS, 'data'], result: 'json' },
  // Jobs; startJobRun and deliverJobRunEntries are never re-sent once they may have
  // reached the server; waitForJobRun polls until the run is finished.
  getJobs: { method: 'get_jobs', params: [], options: WS, result: 'json' },
  startJobRun: { method: 'start_job_run', params: ['jobId', 'body'], options: WS, result: 'json' },
  getJobRunStatus: { method: 'get_job_run_status', params: ['jobId', 'runId'], options: WS, result: 'json' },
  getRunReviewDocument: { method: 'get_run_review_document', params: ['jobId', 'runId'], options: WS, result: 'json' },
  deliverJobRunEntries: { method: 'deliver_job_run_entries', params: ['jobId', 'runId'], options: WS, result: 'none' },
  waitForJobRun: { method: 'wait_for_job_run', params: ['jobId', 'runId'], options: WAIT, result: 'json' },
  // Batch rendering: an async iterator of each item's result as it finishes; leaving the
  // loop early (or the signal) cancels the renders in flight.
  renderBatch: { method: 'render_batch', params: ['items'], options: BATCH, result: 'stream' },
};
for (const spec of Object.values(METHODS)) Object.freeze(Object.freeze(spec).params);
Object.freeze(METHODS);

// The downloads opened as streams (cx_inbox_stream_open): each resolves to a
// ReportStream, a Readable the consumer reads at its own pace. The same C method,
// parameters and options as the bytes method, without onProgress.
const STREAMS = {
  openPdf: { method: 'get_pdf', params: ['reportId', 'params'], options: RENDER },
  openPostPdf: { method: 'post_pdf', params: ['reportId', 'body'], options: WS },
  openExportContent: { method: 'get_export_content', params: ['tempFileId'], options: WS },
};
for (const spec of Object.values(STREAMS)) Object.freeze(Object.freeze(spec).params);
Object.freeze(STREAMS);

// C ABI argument names -> the names a Node caller used, for the library's messages.
const JS_NAMES = Object.fromEntries(Object.entries(C_ARGS).map(([js, c]) => [c, js]));

/** Rewrites "get_pdf: argument \"report_id\" ..." as "getPdf: argument \"reportId\" ...". */
function inCallerTerms(err, method, name) {
  if (err.code !== 'invalid_argument' || !err.message.startsWith(`${method}:`)) return err;
  err.message = name + err.message.slice(method.length).replace(/"([a-z_]+)"/g, (m, arg) => (JS_NAMES[arg] ? `"${JS_NAMES[arg]}"` : m));
  return err;
}

/** The error of a failed call's envelope (a missing one is malformed), in the caller's terms. */
function envelopeError(envelope, method, name) {
  const e = (envelope && envelope.error) || { code: 'internal', message: 'cxreports: malformed result' };
  return inCallerTerms(errorFromEnvelope(e), method, name);
}

/** The C ABI argument object: drop what the caller left out, keep explicit values. */
function compact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

/** getReports' filter: { type, offset, limit }, or a string (the type), or nothing. */
function filterArgs(filter) {
  let f = filter;
  if (typeof f === 'string') f = { type: f };
  if (f === undefined || f === null) f = {};
  if (typeof f !== 'object' || Array.isArray(f)) {
    throw invalidArgument(`getReports: filter must be { type, offset, limit }, got ${describe(filter)}`);
  }
  for (const key of Object.keys(f)) {
    if (!Object.hasOwn(FILTER, key)) {
      throw invalidArgument(`getReports: unknown filter key ${JSON.stringify(key)}; use type, offset, limit`);
    }
  }
  const out = {};
  for (const [js, c] of Object.entries(FILTER)) out[c] = f[js];
  return out;
}

/** The C ABI arguments of a method's positional parameters (values as given). */
function positionalArgs(name, spec, given) {
  const out = {};
  spec.params.forEach((param, i) => {
    if (param === 'filter') Object.assign(out, filterArgs(given[i]));
    else if (param === 'path') out[C_ARGS.path] = checkPath(name, given[i]);
    else out[C_ARGS[param]] = given[i];
  });
  return out;
}

class CxReportsClient {
  #handle;
  #closing = null;

  /**
   * @param {object} options baseUrl, defaultWorkspaceId, token and the optional settings
   *   documented in index.d.ts (durations in milliseconds).
   */
  constructor(options) {
    const cfg = configJson(options);
    const { handle, envelope } = native().clientNew(cfg);
    if (handle === 0n) throw errorFromEnvelope(envelope.error || { code: 'invalid_config', message: 'cxreports: the client could not be created' });
    this.#handle = handle;
    finalizer.register(this, handle, this);
  }

  /**
   * Runs one C ABI method: `args` holds the positional arguments under their C names,
   * the options named in `allowed` add theirs. kind: see METHODS.
   */
  /**
   * The options checked and the arguments' JSON built: { o, argsJson, signal }; throws
   * (an AbortError when the signal has already fired). #call and #open run it inside
   * their Promise executor, so what it throws becomes their rejection.
   */
  #prepare(name, args, opts, allowed) {
    const o = checkOptions(name, opts, allowed);
    const all = { ...args };
    for (const key of OPTION_ORDER) {
      if (!allowed.includes(key)) continue;
      let v = o[key];
      if (DURATIONS.includes(key)) v = msToSeconds(key, v);
      else if (key === 'outDir' && v !== undefined) v = checkPath(name, v);
      all[C_ARGS[key]] = v;
    }
    let argsJson;
    try {
      argsJson = JSON.stringify(compact(all));
    } catch (err) {
      throw invalidArgument(`${name}: the arguments cannot be sent as JSON: ${err.message}`);
    }
    if (this.#closing) {
      throw new CxReportsError(`cxreports: ${name} was called on a closed client; create a new CxReportsClient`, {
        code: 'invalid_handle',
      });
    }
    const signal = o.signal;
    if (signal && signal.aborted) throw abortErrorFor(signal, name);
    return { o, argsJson, signal };
  }

  #call(method, name, args, opts, allowed, kind) {
    const trace = {};
    Error.captureStackTrace(trace);
    return new Promise((resolve, reject) => {
      const { o, argsJson, signal } = this.#prepare(name, args, opts, allowed);
      let settled = false;
      let aborting = false; // the signal fired; the library is stopping the call
      let onAbort = null;
      const fail = (err) => {
        if (typeof trace.stack === 'string') {
          const frames = trace.stack.split('\n').slice(2).join('\n');
          err.stack = `${err.name}: ${err.message}\n${frames}`;
        }
        reject(err);
      };
      const userProgress = o.onProgress;
      const entry = {
        owner: this,
        progress: userProgress
          ? (event) => {
              if (settled || aborting) return;
              try {
                userProgress(results.progress(event));
              } catch (err) {
                process.emitWarning(`cxreports: the onProgress callback of ${name} threw: ${err && err.message}`);
              }
            }
          : null,
        finish: (envelope, bytes) => {
          if (onAbort) signal.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          if (aborting) {
            // The library has stopped the call and cleaned up after it (a save* has
            // removed its temporary file): only now does the caller hear of the abort.
            fail(abortErrorFor(signal, name));
            return;
          }
          if (!envelope || envelope.ok !== true) {
            fail(envelopeError(envelope, method, name));
            return;
          }
          if (kind === 'bytes') resolve(bytes || Buffer.alloc(0));
          else if (kind === 'download') resolve(results.download(envelope.data));
          else if (kind === 'none') resolve(undefined);
          else resolve(envelope.data);
        },
      };
      const ticket = native().start(this.#handle, method, argsJson, entry);
      if (signal) {
        onAbort = () => {
          if (settled || aborting) return;
          // The library stops the call at once; finish (above) rejects when it reports.
          native().cancel(ticket);
          aborting = true;
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /**
   * Runs a streaming C ABI method (render_batch): an async generator of its "item"
   * events as results; its other events go to onProgress. The call starts at the first
   * next(). Leaving early (break, throw, the signal) cancels it and waits for its
   * answer, by which time the library has removed what it was writing.
   */
  async *#stream(method, name, args, opts, allowed) {
    const { o, argsJson, signal } = this.#prepare(name, args, opts, allowed);
    const inbox = [];
    let wake = null;
    const push = (x) => {
      inbox.push(x);
      if (wake) wake();
    };
    const next = () =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift())
        : new Promise((resolve) => {
            wake = () => {
              wake = null;
              resolve(inbox.shift());
            };
          });
    const entry = { owner: this, progress: (event) => push({ event }), finish: (envelope) => push({ envelope }) };
    const ticket = native().start(this.#handle, method, argsJson, entry);
    const onAbort = () => native().cancel(ticket);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    let envelope = null;
    try {
      while (!envelope) {
        const x = await next();
        if (x.envelope) {
          envelope = x.envelope;
        } else if (x.event.stage === 'item') {
          yield results.batchItem(x.event);
        } else if (o.onProgress) {
          try {
            o.onProgress(results.batchProgress(x.event));
          } catch (err) {
            process.emitWarning(`cxreports: the onProgress callback of ${name} threw: ${err && err.message}`);
          }
        }
      }
    } finally {
      if (signal) signal.removeEventListener('abort', onAbort);
      if (!envelope) {
        native().cancel(ticket);
        for (let x = await next(); !x.envelope; x = await next());
      }
    }
    if (envelope.ok !== true) {
      if (signal && signal.aborted) throw abortErrorFor(signal, name);
      throw envelopeError(envelope, method, name);
    }
  }

  /**
   * Opens a bytes method as a stream: resolves to a ReportStream once the answer's
   * headers (and its first bytes) are in. The signal aborts the opening and, later, the
   * stream (destroyed with the AbortError).
   */
  #open(method, name, args, opts, allowed) {
    return new Promise((resolve, reject) => {
      const { argsJson, signal } = this.#prepare(name, args, opts, allowed);
      let aborting = false;
      let onAbort = null;
      const ticket = native().streamOpen(this.#handle, method, argsJson, {
        owner: this,
        progress: null,
        finish: (envelope) => {
          if (onAbort) signal.removeEventListener('abort', onAbort);
          const ok = envelope && envelope.ok === true;
          if (aborting) {
            if (ok) native().streamClose(ticket.id);
            reject(abortErrorFor(signal, name));
          } else if (!ok) {
            reject(envelopeError(envelope, method, name));
          } else {
            resolve(new ReportStream(ticket.id, envelope.data || {}, this, signal, name));
          }
        },
      });
      if (signal) {
        onAbort = () => {
          aborting = true;
          native().cancel(ticket);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  // The API methods, one per row of STREAMS (openPdf(...)) and of METHODS (getPdf(reportId,
  // params, opts) and so on). Each calls #open / #call itself, so an error's stack
  // starts at the caller's frame.
  static {
    for (const [name, spec] of [...Object.entries(STREAMS), ...Object.entries(METHODS)]) {
      const opens = Object.hasOwn(STREAMS, name);
      const fn = {
        [name](...given) {
          let args;
          try {
            if (name === 'pushTemporaryData') checkPushData(given);
            args = positionalArgs(name, spec, given);
          } catch (err) {
            return Promise.reject(err);
          }
          const opts = given[spec.params.length];
          if (opens) return this.#open(spec.method, name, args, opts, spec.options);
          if (spec.result === 'stream') return this.#stream(spec.method, name, args, opts, spec.options);
          return this.#call(spec.method, name, args, opts, spec.options, spec.result);
        },
      }[name];
      Object.defineProperty(fn, 'length', { value: spec.params.length + 1 });
      Object.defineProperty(this.prototype, name, { value: fn, writable: true, enumerable: false, configurable: true });
    }
  }

  /**
   * Frees the client. Calls still in flight are cancelled and reject with AbortError;
   * later calls reject with code 'invalid_handle'. Safe to call more than once.
   */
  close() {
    if (!this.#closing) {
      finalizer.unregister(this);
      this.#closing = native()
        .clientFree(this.#handle)
        .then((env) => {
          if (!env.ok) throw errorFromEnvelope(env.error);
        });
    }
    return this.#closing;
  }
}

// `await using client = new CxReportsClient(...)` where the runtime supports it.
if (typeof Symbol.asyncDispose === 'symbol') {
  CxReportsClient.prototype[Symbol.asyncDispose] = function asyncDispose() {
    return this.close();
  };
}

module.exports = { CxReportsClient, METHODS, STREAMS, C_ARGS, FILTER };
