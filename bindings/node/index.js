'use strict';
// CommonJS entry of the cxreports package (index.mjs re-exports it for ES modules, so
// both share one copy of the native library and its state).

const { CxReportsClient } = require('./lib/client');
const { ReportStream } = require('./lib/stream');
const errors = require('./lib/errors');
const { setLogHandler } = require('./lib/logging');
const { native, libraryPath } = require('./lib/native');
const { USER_AGENT } = require('./lib/config');
const { version } = require('./package.json');

/** Versions of this package and of the loaded library: { package, library: {version, abi, go}, file, userAgent }. */
function versions() {
  const n = native();
  return { package: version, library: n.version(), file: n.file, userAgent: USER_AGENT };
}

module.exports = {
  CxReportsClient,
  ReportStream,
  CxReportsError: errors.CxReportsError,
  UnauthenticatedError: errors.UnauthenticatedError,
  NotFoundError: errors.NotFoundError,
  TimeoutError: errors.TimeoutError,
  AbortError: errors.AbortError,
  // The same classes under names that cannot clash with DOMException's TimeoutError /
  // AbortError or other libraries' error classes in a caller's scope.
  CxUnauthenticatedError: errors.UnauthenticatedError,
  CxNotFoundError: errors.NotFoundError,
  CxTimeoutError: errors.TimeoutError,
  CxAbortError: errors.AbortError,
  setLogHandler,
  versions,
  libraryPath: () => libraryPath().file,
  version,
};
// TypeScript's `import cxreports from 'cxreports'` on the CommonJS build.
module.exports.default = module.exports;
