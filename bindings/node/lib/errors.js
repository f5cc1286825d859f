'use strict';
// Error classes. The Go core decides what went wrong and writes the message (it never
// contains the token); this file only turns its error envelope into a class a caller can
// test with instanceof, keeping the HTTP status, the server's own message and the
// request id.

class CxReportsError extends Error {
  /**
   * @param {string} message full human text
   * @param {object} [info] code, status, serverMessage, requestId, method, url, retryable, cause
   */
  constructor(message, info = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'CxReportsError';
    this.code = info.code || 'internal';
    this.status = info.status ? info.status : null;
    this.serverMessage = info.serverMessage || null;
    this.requestId = info.requestId || null;
    this.method = info.method || null;
    this.url = info.url || null;
    this.retryable = Boolean(info.retryable);
  }
}

/** 401/403, or a login page where JSON or a file was expected. */
class UnauthenticatedError extends CxReportsError {
  constructor(message, info) {
    super(message, info);
    this.name = 'UnauthenticatedError';
  }
}

/** 404: the workspace, report, export, job or run does not exist. */
class NotFoundError extends CxReportsError {
  constructor(message, info) {
    super(message, info);
    this.name = 'NotFoundError';
  }
}

/** The per-attempt timeout, the per-call `timeout` or a wait deadline expired. */
class TimeoutError extends CxReportsError {
  constructor(message, info) {
    super(message, info);
    this.name = 'TimeoutError';
  }
}

/**
 * The call was cancelled: its AbortSignal fired, or the client was closed while it was
 * in flight. The name is 'AbortError', like fetch's, so existing abort handling works.
 */
class AbortError extends CxReportsError {
  constructor(message, info) {
    super(message, { code: 'canceled', ...info });
    this.name = 'AbortError';
  }
}

const byCode = {
  unauthenticated: UnauthenticatedError,
  not_found: NotFoundError,
  timeout: TimeoutError,
  canceled: AbortError,
};

/** Builds the error for the `error` member of a failed envelope. */
function errorFromEnvelope(e) {
  const info = {
    code: e.code,
    status: e.status,
    serverMessage: e.server_message,
    requestId: e.request_id,
    method: e.method,
    url: e.url,
    retryable: e.retryable,
  };
  const Cls = byCode[e.code] || CxReportsError;
  return new Cls(e.message || `cxreports: call failed (${e.code || 'no error code'})`, info);
}

/** The rejection of a call whose AbortSignal fired (before or while it ran). */
function abortErrorFor(signal, method) {
  const reason = signal && signal.reason;
  let why = 'the AbortSignal fired';
  if (reason instanceof Error && reason.name === 'TimeoutError') why = 'the AbortSignal timed out';
  return new AbortError(`cxreports: ${method} was aborted (${why}); the request was cancelled`, {
    cause: reason,
  });
}

module.exports = {
  CxReportsError,
  UnauthenticatedError,
  NotFoundError,
  TimeoutError,
  AbortError,
  errorFromEnvelope,
  abortErrorFor,
};
