'use strict';
// Node measures time in milliseconds (setTimeout, AbortSignal.timeout, http timeouts), so
// every duration this package accepts is in milliseconds. The C ABI takes seconds; this
// file is the one place that converts.

const { CxReportsError } = require('./errors');

/**
 * Milliseconds -> seconds for the C ABI. undefined stays undefined (library default);
 * `Infinity` becomes `none` (the value the option uses for "no limit"), anything else
 * that is not a finite number > 0 is an invalid_argument error naming the option.
 */
function msToSeconds(name, ms, none) {
  if (ms === undefined || ms === null) return undefined;
  if (ms === Infinity && none !== undefined) return none;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new CxReportsError(
      `cxreports: ${name} must be a number of milliseconds greater than 0` +
        (none !== undefined ? ' (or Infinity for no limit)' : '') +
        `, got ${describe(ms)}`,
      { code: 'invalid_argument' },
    );
  }
  return ms / 1000;
}

function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  return String(v);
}

module.exports = { msToSeconds, describe };
