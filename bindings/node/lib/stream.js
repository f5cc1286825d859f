'use strict';
// ReportStream: a download read at the consumer's pace (openPdf, openPostPdf,
// openExportContent). A Readable over the C ABI's stream: each _read asks the library,
// through this thread's inbox, for the next piece (cx_inbox_stream_read); the library
// reads the network at most two pieces ahead, so memory stays flat for any size. Nothing
// blocks the event loop: reads complete as inbox events like every other call.

const { Readable } = require('node:stream');
const { native } = require('./native');
const { errorFromEnvelope, abortErrorFor } = require('./errors');

// One read asks for up to this much; the Readable buffers up to one such piece.
const PIECE = 1 << 20;

class ReportStream extends Readable {
  #id;
  #owner; // the client: it must outlive the stream (freeing it cancels the stream)
  #reading = false;
  #signal;
  #onAbort = null;

  /**
   * @param {bigint} id the stream id (cx_inbox_stream_open)
   * @param {object} info cx_stream_open's data: bytes (-1 unknown), content_type, filename
   */
  constructor(id, info, owner, signal, name) {
    super({ highWaterMark: 4 * PIECE });
    this.#id = id;
    this.#owner = owner;
    /** The answer's Content-Type. */
    this.contentType = info.content_type || '';
    /** The file name the server gave (Content-Disposition), or null. */
    this.filename = info.filename || null;
    /** The Content-Length, or null when the server sent none. */
    this.length = typeof info.bytes === 'number' && info.bytes >= 0 ? info.bytes : null;
    this.#signal = signal;
    if (signal) {
      this.#onAbort = () => this.destroy(abortErrorFor(signal, name));
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  _read() {
    if (this.#reading || this.#id === 0n) return;
    this.#reading = true;
    native().streamRead(this.#id, PIECE, {
      owner: this.#owner,
      progress: null,
      finish: (envelope, bytes) => {
        this.#reading = false;
        if (this.destroyed) return; // closed meanwhile: the read ended with it
        if (!envelope || envelope.ok !== true) {
          this.destroy(errorFromEnvelope((envelope && envelope.error) || { code: 'internal', message: 'cxreports: malformed result' }));
        } else if (!bytes || bytes.length === 0) {
          this.push(null);
        } else {
          this.push(bytes);
        }
      },
    });
  }

  _destroy(err, callback) {
    if (this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort);
    const id = this.#id;
    this.#id = 0n;
    // Closing cancels the download if it was not read to the end, and ends a read in
    // flight (its result is ignored above).
    if (id !== 0n) native().streamClose(id);
    callback(err);
  }
}

module.exports = { ReportStream, PIECE };
