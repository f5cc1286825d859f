'use strict';
// The package under test: the tarball installed into a fresh folder when
// CXREPORTS_NODE_PKG names it (what `make test-node` does), else this source tree.
const path = require('node:path');

const PKG_DIR = process.env.CXREPORTS_NODE_PKG || path.join(__dirname, '..');

module.exports = { cx: require(PKG_DIR), PKG_DIR };
