'use strict';
// The library's log callback is process-wide (cx_set_log_callback), so the handler is a
// module-level setting, not a client option.

const { native } = require('./native');
const { CxReportsError } = require('./errors');

const LEVELS = ['debug', 'info', 'warn', 'error'];

/**
 * setLogHandler((level, message) => ..., { level: 'info' }) routes the library's logs
 * (never containing the token) to `fn`; setLogHandler(null) turns them off.
 */
function setLogHandler(fn, options = {}) {
  if (fn !== null && typeof fn !== 'function') {
    throw new CxReportsError('cxreports: setLogHandler needs a function (level, message) => void, or null', {
      code: 'invalid_argument',
    });
  }
  const level = options.level === undefined ? 'info' : options.level;
  const min = LEVELS.indexOf(level);
  if (min < 0) {
    throw new CxReportsError(`cxreports: log level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`, {
      code: 'invalid_argument',
    });
  }
  native().setLogHandler(fn ? (n, message) => fn(LEVELS[n] || String(n), message) : null, min);
}

module.exports = { setLogHandler, LEVELS };
