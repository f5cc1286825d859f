'use strict';
// Loaded with --require by scripts/wine/test-node.sh only, for the tests' own fetch() to
// the fake's control API under Wine. Node's fetch (undici) turns TCP keep-alive on right
// after net.connect(), before the connection is made; libuv then applies it inside its
// connect, where Wine 8 refuses one of the keep-alive options and the connect fails
// ("connect UNKNOWN"). node:http, which turns it on once connected, works. So here a
// socket still connecting turns keep-alive on once it has connected. The package under
// test opens no such sockets (its HTTP is the library's, in Go).
const net = require('node:net');

const setKeepAlive = net.Socket.prototype.setKeepAlive;
net.Socket.prototype.setKeepAlive = function (...args) {
  if (this.connecting) {
    this.once('connect', () => setKeepAlive.apply(this, args));
    return this;
  }
  return setKeepAlive.apply(this, args);
};
