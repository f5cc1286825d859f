'use strict';
// The log handler is a setting of this JavaScript thread (the main thread or one worker),
// not a client option: it receives the log lines of the clients created on this thread
// (the library queues them in the thread's inbox) and ends with the thread.

const { native } = require('./native');
const { CxReportsError } = require('./errors');

const LEVELS = ['debug', 'info', 'warn', 'error'];

/**
 * setLogHandler((level, message) => ..., { level: 'info' }) routes the log lines (never
 * containing the token) of this thread's clients to `fn`; setLogHandler(null) turns them
 * off.
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
