'use strict';
// CxReportsClient: the Python client's methods in camelCase, each a thin mapping onto a
// C ABI method (docs/contract.md, "C ABI"). All API logic (URLs, query encoding, retries,
// errors, streaming to disk) lives in the Go core; this file only names arguments,
// converts units and shapes results.

const nodePath = require('node:path');
const { native } = require('./native');
const { configJson } = require('./config');
const { msToSeconds, describe } = require('./units');
const results = require('./results');
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

function checkPath(method, p) {
  if (typeof p !== 'string' || p === '') {
    throw invalidArgument(`${method}: path must be a non-empty string (the file to write), got ${describe(p)}`);
  }
  return nodePath.resolve(p);
}

// C ABI argument names -> the names a Node caller used, for the library's messages.
const JS_NAMES = {
  report_id: 'reportId',
  temp_file_id: 'tempFileId',
  job_id: 'jobId',
  run_id: 'runId',
  workspace_id: 'workspaceId',
  request_body: 'body',
  query_params: 'queryParams',
  expiry_date: 'expiryDate',
  poll_interval: 'pollInterval',
  max_interval: 'maxInterval',
};

/** Rewrites "get_pdf: argument \"report_id\" ..." as "getPdf: argument \"reportId\" ...". */
function inCallerTerms(err, method, name) {
  if (err.code !== 'invalid_argument' || !err.message.startsWith(`${method}:`)) return err;
  err.message = name + err.message.slice(method.length).replace(/"([a-z_]+)"/g, (m, arg) => (JS_NAMES[arg] ? `"${JS_NAMES[arg]}"` : m));
  return err;
}

/** The C ABI argument object: drop what the caller left out, keep explicit values. */
function compact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
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
   * Runs one C ABI method. kind: 'json' (envelope data), 'bytes' (Buffer),
   * 'download' (Download object), 'none' (undefined).
   */
  #call(method, name, args, opts, allowed, kind) {
    const trace = {};
    Error.captureStackTrace(trace);
    let argsJson;
    let a;
    let o;
    try {
      o = checkOptions(name, opts, allowed);
      a = compact({ ...args, workspace_id: o.workspaceId, timeout: msToSeconds('timeout', o.timeout) });
      if (o.pollInterval !== undefined) a.poll_interval = msToSeconds('pollInterval', o.pollInterval);
      if (o.maxInterval !== undefined) a.max_interval = msToSeconds('maxInterval', o.maxInterval);
      try {
        argsJson = JSON.stringify(a);
      } catch (err) {
        throw invalidArgument(`${name}: the arguments cannot be sent as JSON: ${err.message}`);
      }
      if (this.#closing) {
        throw new CxReportsError(`cxreports: ${name} was called on a closed client; create a new CxReportsClient`, {
          code: 'invalid_handle',
        });
      }
    } catch (err) {
      return Promise.reject(err);
    }
    const signal = o.signal;
    if (signal && signal.aborted) return Promise.reject(abortErrorFor(signal, name));

    return new Promise((resolve, reject) => {
      let settled = false;
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
              if (settled) return;
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
          if (!envelope || envelope.ok !== true) {
            const e = errorFromEnvelope((envelope && envelope.error) || { code: 'internal', message: 'cxreports: malformed result' });
            fail(inCallerTerms(e, method, name));
            return;
          }
          if (kind === 'bytes') resolve(bytes || Buffer.alloc(0));
          else if (kind === 'download') resolve(results.download(envelope.data));
          else if (kind === 'none') resolve(undefined);
          else resolve(envelope.data);
        },
      };
      const ticket = native().start(this.#handle, method, a, argsJson, entry);
      if (signal) {
        onAbort = () => {
          if (settled) return;
          settled = true;
          native().cancel(ticket);
          fail(abortErrorFor(signal, name));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  // Workspaces and catalogues

  /** get_workspaces */
  getWorkspaces(opts) {
    return this.#call('get_workspaces', 'getWorkspaces', {}, opts, BASE, 'json');
  }
  /** get_report_types */
  getReportTypes(opts) {
    return this.#call('get_report_types', 'getReportTypes', {}, opts, WS, 'json');
  }
  /** get_themes */
  getThemes(opts) {
    return this.#call('get_themes', 'getThemes', {}, opts, WS, 'json');
  }
  /** get_templates */
  getTemplates(opts) {
    return this.#call('get_templates', 'getTemplates', {}, opts, WS, 'json');
  }

  // Reports

  /** get_reports; filter { type, offset, limit } (a string is taken as the type). */
  getReports(filter, opts) {
    let f = filter;
    if (typeof f === 'string') f = { type: f };
    if (f === undefined || f === null) f = {};
    if (typeof f !== 'object' || Array.isArray(f)) {
      return Promise.reject(invalidArgument(`getReports: filter must be { type, offset, limit }, got ${describe(filter)}`));
    }
    for (const key of Object.keys(f)) {
      if (!['type', 'offset', 'limit'].includes(key)) {
        return Promise.reject(invalidArgument(`getReports: unknown filter key ${JSON.stringify(key)}; use type, offset, limit`));
      }
    }
    return this.#call('get_reports', 'getReports', { type: f.type, offset: f.offset, limit: f.limit }, opts, WS, 'json');
  }
  /** get_report_pages */
  getReportPages(reportId, opts) {
    return this.#call('get_report_pages', 'getReportPages', { report_id: reportId }, opts, WS, 'json');
  }

  // Rendering

  /** get_pdf: params is the Python client's dict (params, tempDataId, timezone, lang, ...). */
  getPdf(reportId, params, opts) {
    const o = opts || {};
    return this.#call('get_pdf', 'getPdf', { report_id: reportId, params, theme: o.theme, template: o.template }, opts, RENDER_DOWNLOAD, 'bytes');
  }
  /** post_pdf: body { params, data, lang, timezone, format, theme, template, ... } */
  postPdf(reportId, body, opts) {
    return this.#call('post_pdf', 'postPdf', { report_id: reportId, request_body: body }, opts, DOWNLOAD, 'bytes');
  }
  /** get_pdf straight to a file written by the library (never held in memory). */
  savePdf(reportId, path, params, opts) {
    const o = opts || {};
    let file;
    try {
      file = checkPath('savePdf', path);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call('save_pdf', 'savePdf', { report_id: reportId, path: file, params, theme: o.theme, template: o.template }, opts, RENDER_DOWNLOAD, 'download');
  }
  /** post_pdf straight to a file. */
  savePostPdf(reportId, path, body, opts) {
    let file;
    try {
      file = checkPath('savePostPdf', path);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call('save_post_pdf', 'savePostPdf', { report_id: reportId, path: file, request_body: body }, opts, DOWNLOAD, 'download');
  }
  /** The download URL of get_pdf, without a network call and without the token. */
  getPdfUrl(reportId, params, opts) {
    const o = opts || {};
    return this.#call('get_pdf_url', 'getPdfUrl', { report_id: reportId, params, theme: o.theme, template: o.template }, opts, RENDER, 'json');
  }

  // Asynchronous export

  /** start_report_export -> { temporaryFileId } */
  startReportExport(reportId, body, opts) {
    return this.#call('start_report_export', 'startReportExport', { report_id: reportId, request_body: body }, opts, WS, 'json');
  }
  /** get_export_status */
  getExportStatus(tempFileId, opts) {
    return this.#call('get_export_status', 'getExportStatus', { temp_file_id: tempFileId }, opts, WS, 'json');
  }
  /** get_export_content -> Buffer */
  getExportContent(tempFileId, opts) {
    return this.#call('get_export_content', 'getExportContent', { temp_file_id: tempFileId }, opts, DOWNLOAD, 'bytes');
  }
  /** get_export_content straight to a file. */
  saveExportContent(tempFileId, path, opts) {
    let file;
    try {
      file = checkPath('saveExportContent', path);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call('save_export_content', 'saveExportContent', { temp_file_id: tempFileId, path: file }, opts, DOWNLOAD, 'download');
  }
  /** Polls until the export is Completed (Failed -> error code export_failed). */
  waitForExport(tempFileId, opts) {
    return this.#call('wait_for_export', 'waitForExport', { temp_file_id: tempFileId }, opts, WAIT, 'json');
  }
  /** start_report_export + waitForExport + saveExportContent in one call. */
  exportToFile(reportId, path, body, opts) {
    let file;
    try {
      file = checkPath('exportToFile', path);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call('export_to_file', 'exportToFile', { report_id: reportId, path: file, request_body: body }, opts, WAIT, 'download');
  }

  // Temporary data, nonce tokens, preview

  /** push_temporary_data -> { tempDataId, expiryDate }; opts.expiryDate is ISO 8601. */
  pushTemporaryData(data, opts) {
    const o = opts || {};
    return this.#call('push_temporary_data', 'pushTemporaryData', { data, expiry_date: o.expiryDate }, opts, [...WS, 'expiryDate'], 'json');
  }
  /** create_auth_token -> { nonce } */
  createAuthToken(opts) {
    return this.#call('create_auth_token', 'createAuthToken', {}, opts, BASE, 'json');
  }
  /** get_preview_url: a fresh nonce per URL; opts.data is pushed first as temporary data. */
  getPreviewUrl(reportId, queryParams, opts) {
    const o = opts || {};
    return this.#call('get_preview_url', 'getPreviewUrl', { report_id: reportId, query_params: queryParams, data: o.data }, opts, [...WS, 'data'], 'json');
  }

  // Jobs

  /** get_jobs */
  getJobs(opts) {
    return this.#call('get_jobs', 'getJobs', {}, opts, WS, 'json');
  }
  /** start_job_run -> { jobRunId }; never re-sent once it may have reached the server. */
  startJobRun(jobId, body, opts) {
    return this.#call('start_job_run', 'startJobRun', { job_id: jobId, request_body: body }, opts, WS, 'json');
  }
  /** get_job_run_status */
  getJobRunStatus(jobId, runId, opts) {
    return this.#call('get_job_run_status', 'getJobRunStatus', { job_id: jobId, run_id: runId }, opts, WS, 'json');
  }
  /** get_run_review_document -> { temporaryFileId } */
  getRunReviewDocument(jobId, runId, opts) {
    return this.#call('get_run_review_document', 'getRunReviewDocument', { job_id: jobId, run_id: runId }, opts, WS, 'json');
  }
  /** deliver_job_run_entries; never re-sent once it may have reached the server. */
  deliverJobRunEntries(jobId, runId, opts) {
    return this.#call('deliver_job_run_entries', 'deliverJobRunEntries', { job_id: jobId, run_id: runId }, opts, WS, 'none');
  }
  /** Polls until the run is finished. */
  waitForJobRun(jobId, runId, opts) {
    return this.#call('wait_for_job_run', 'waitForJobRun', { job_id: jobId, run_id: runId }, opts, WAIT, 'json');
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

module.exports = { CxReportsClient };
