'use strict';
// CommonJS entry of cxreports/official: the official TypeScript client's surface over
// this package's client (lib/official.js). official.mjs re-exports it, so `import` and
// `require` share one loaded library and one CxReportsError class, the main entry's.

const { CxReportsClient, CxReportsError } = require('./lib/official');

module.exports = { CxReportsClient, CxReportsError };
// TypeScript's `import official from 'cxreports/official'` on the CommonJS build.
module.exports.default = module.exports;
