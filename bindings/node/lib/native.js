'use strict';
// The only file that touches the C ABI (include/cxreports.h). It loads libcxreports.so
// once per process, checks its ABI version and runs calls through cx_call_async.
//
// Why cx_call_async and not koffi's `.async`: `.async` runs each blocking call on libuv's
// thread pool (4 threads by default), which would cap the binding at 4 requests in
// flight. cx_call_async starts a goroutine per request and reports through a callback,
// so nothing here waits on a thread.
//
// Facts about koffi 3 this file relies on (see koffi's src/koffi/src/call.cc):
// - A registered callback invoked from a thread koffi does not own (here: a Go thread)
//   is relayed to the JS main thread through a thread-safe function, and the foreign
//   thread blocks until the JS function has returned. So the callbacks below only copy
//   and free what the library handed over; user code runs later, from a microtask.
// - That thread-safe function is unref'd: a pending callback does not keep Node's event
//   loop alive. A ref'd timer is held while any call is pending (see `retain`).
// - Pointers are BigInt values; every char*/uint8_t* the library gives us is declared
//   `void *` so koffi hands us the address, which we decode and then pass to cx_free.

const path = require('node:path');
const fs = require('node:fs');
const koffi = require('koffi');

const ABI_VERSION = 1;
// A process can hold only one Go runtime, so two copies of this package (say, two
// versions in node_modules) must share one loaded library and one dispatch table.
const SHARED = Symbol.for('cxreports.native.v1');

// The libraries this package bundles, as lib/<platform>-<arch>/libcxreports.so; each is
// built for glibc 2.17 or later. musl cannot load a Go shared library at all.
const BUNDLED = ['linux-x64', 'linux-arm64'];

function libraryPath() {
  const fromEnv = process.env.CXREPORTS_LIB;
  if (fromEnv) return { file: path.resolve(fromEnv), origin: 'the CXREPORTS_LIB environment variable' };
  const platform = `${process.platform}-${process.arch}`;
  const file = path.join(__dirname, platform, 'libcxreports.so');
  let unsupported = null;
  if (!BUNDLED.includes(platform)) {
    unsupported = `${platform}. Build libcxreports.so for it (see the project's README) and set CXREPORTS_LIB to its path`;
  } else if (!process.report.getReport().header.glibcVersionRuntime) {
    unsupported = `${platform} with musl libc, which cannot load a Go shared library. Use a glibc-based system ` +
      '(for Docker, e.g. node:20-slim rather than node:20-alpine)';
  }
  return { file, origin: 'the cxreports package', unsupported };
}

function loadLibrary() {
  const where = libraryPath();
  if (where.unsupported) {
    throw new Error(
      `cxreports: this package bundles libcxreports.so for ${BUNDLED.join(' and ')} with glibc 2.17 or ` +
        `later, not for ${where.unsupported}.`,
    );
  }
  if (!fs.existsSync(where.file)) {
    throw new Error(
      `cxreports: the native library ${where.file} (from ${where.origin}) does not exist. ` +
        'Reinstall the cxreports package, or set CXREPORTS_LIB to the path of libcxreports.so.',
    );
  }
  let lib;
  try {
    lib = koffi.load(where.file);
  } catch (err) {
    throw new Error(
      `cxreports: cannot load the native library ${where.file} (from ${where.origin}): ${err.message}. ` +
        'libcxreports.so needs Linux with glibc (musl/Alpine cannot load Go shared libraries).',
      { cause: err },
    );
  }
  const fn = (decl) => lib.func(decl);
  const abiVersion = fn('int cx_abi_version()')();
  if (abiVersion !== ABI_VERSION) {
    throw new Error(
      `cxreports: ${where.file} speaks C ABI version ${abiVersion}, but this package needs version ` +
        `${ABI_VERSION}. Install a cxreports package built with that library, or point CXREPORTS_LIB ` +
        'at a matching libcxreports.so.',
    );
  }

  const DoneFn = koffi.proto('void', ['uint64_t', 'void *', 'void *', 'size_t', 'void *']);
  const ProgressFn = koffi.proto('void', ['uint64_t', 'void *', 'void *']);
  const LogFn = koffi.proto('void', ['int', 'void *', 'void *']);
  const c = {
    file: where.file,
    abiVersion,
    version: fn('void *cx_version()'),
    clientNew: fn('uint64_t cx_client_new(const char *config_json, _Out_ void **error_json)'),
    clientFree: fn('void *cx_client_free(uint64_t h)'),
    callAsync: lib.func('cx_call_async', 'uint64_t', [
      'uint64_t', 'const char *', 'const char *', koffi.pointer(DoneFn), koffi.pointer(ProgressFn), 'void *',
    ]),
    cancel: fn('int cx_cancel(uint64_t request_id)'),
    setLogCallback: lib.func('cx_set_log_callback', 'void', [koffi.pointer(LogFn), 'int', 'void *']),
    free: fn('void cx_free(void *p)'),
  };
  return { c, DoneFn, ProgressFn, LogFn };
}

/** Decodes a library-owned C string and frees it; null stays null. */
function takeString(c, ptr) {
  if (ptr === null || ptr === undefined || ptr === 0n) return null;
  try {
    return koffi.decode.string(ptr);
  } finally {
    c.free(ptr);
  }
}

/** Copies `len` library-owned bytes into a Buffer and frees them. */
function takeBytes(c, ptr, len) {
  if (ptr === null || ptr === undefined || ptr === 0n) return Buffer.alloc(0);
  try {
    const n = Number(len);
    const out = Buffer.allocUnsafe(n);
    if (n > 0) out.set(new Uint8Array(koffi.view(ptr, n)));
    return out;
  } finally {
    c.free(ptr);
  }
}

function parseEnvelope(text) {
  if (text === null) {
    return { ok: false, error: { code: 'internal', message: 'cxreports: the library returned no result envelope' } };
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      error: { code: 'internal', message: `cxreports: the library returned an unreadable envelope: ${err.message}` },
    };
  }
}

function createNative() {
  const { c, DoneFn, ProgressFn, LogFn } = loadLibrary();

  // Concurrency cap. koffi relays a callback made on a foreign (Go) thread by parking
  // that thread, holding one of its "async memory" sets (max_async_calls, 256 by
  // default), until the main thread has run the JS function. Once more callbacks are
  // parked than that, koffi 3.3 throws from the foreign thread and the process
  // segfaults. Each call has at most one callback parked at a time (done or progress),
  // log lines add a few more, so calls beyond half of max_async_calls wait here, in a
  // FIFO, until one finishes. To allow more, raise koffi.config({ max_async_calls })
  // before this library is loaded.
  const maxInFlight = Math.max(1, Math.floor(koffi.config().max_async_calls / 2));
  let running = 0;
  const queue = []; // tickets waiting for a slot
  const pending = new Map(); // request id (BigInt) -> running ticket
  let keepAlive = null;

  // A ref'd timer while calls are queued or running keeps the process alive until they
  // settle; with nothing pending there is no handle at all, so an idle client never
  // holds the process.
  function retain() {
    if (keepAlive === null) keepAlive = setInterval(() => {}, 1 << 30);
  }
  function release() {
    if (pending.size === 0 && queue.length === 0 && keepAlive !== null) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
  }

  function failTicket(t, code, message) {
    t.state = 'done';
    queueMicrotask(() => t.entry.finish({ ok: false, error: { code, message } }, null));
  }

  function launch(t) {
    let argsJson = t.argsJson;
    if (t.queuedAt !== 0 && typeof t.args.timeout === 'number') {
      // The caller's timeout bounds the whole call, time spent queued included.
      const left = t.args.timeout - (Date.now() - t.queuedAt) / 1000;
      if (left <= 0) {
        failTicket(t, 'timeout', `Timeout occurred: ${t.method} waited its whole timeout for a free slot ` +
          `(${maxInFlight} calls already in flight); raise the timeout or start fewer calls at once.`);
        return;
      }
      argsJson = JSON.stringify({ ...t.args, timeout: left });
    }
    t.state = 'running';
    const id = BigInt(c.callAsync(t.handle, t.method, argsJson, onDone, t.entry.progress ? onProgress : null, null));
    if (id === 0n) {
      // The contract says this never happens; fail the call rather than wait forever.
      failTicket(t, 'internal', `cxreports: the library refused to start ${t.method}`);
      return;
    }
    t.id = id;
    running++;
    pending.set(id, t);
  }

  function drain() {
    while (running < maxInFlight && queue.length > 0) launch(queue.shift());
    release();
  }

  const onDone = koffi.register((requestId, envPtr, dataPtr, len) => {
    // Runs on the main thread while the Go thread waits: copy, free, hand over.
    let envelope;
    let bytes = null;
    try {
      envelope = parseEnvelope(takeString(c, envPtr));
    } catch (err) {
      envelope = { ok: false, error: { code: 'internal', message: `cxreports: cannot read the result: ${err.message}` } };
    }
    try {
      if (dataPtr !== null && dataPtr !== 0n) bytes = takeBytes(c, dataPtr, len);
    } catch (err) {
      envelope = { ok: false, error: { code: 'internal', message: `cxreports: cannot copy the result bytes: ${err.message}` } };
    }
    const id = BigInt(requestId);
    const t = pending.get(id);
    if (!t) return;
    pending.delete(id);
    running--;
    t.state = 'done';
    queueMicrotask(() => t.entry.finish(envelope, bytes));
    queueMicrotask(drain); // start queued calls after the Go thread is released
  }, koffi.pointer(DoneFn));

  const onProgress = koffi.register((requestId, eventPtr) => {
    let event = null;
    try {
      event = JSON.parse(takeString(c, eventPtr));
    } catch {
      return; // a progress report we cannot read is not worth failing the call for
    }
    const t = pending.get(BigInt(requestId));
    if (t && t.entry.progress) queueMicrotask(() => t.entry.progress(event));
  }, koffi.pointer(ProgressFn));

  let logHandler = null;
  const onLog = koffi.register((level, msgPtr) => {
    let message;
    try {
      message = takeString(c, msgPtr);
    } catch {
      return;
    }
    const handler = logHandler;
    if (handler) queueMicrotask(() => handler(level, message));
  }, koffi.pointer(LogFn));

  /**
   * Starts `method` (now, or when a slot frees) and calls entry.finish(envelope, bytes)
   * exactly once, later, unless cancel() took it out of the queue first. `args` is the
   * argument object, `argsJson` its JSON. Returns a ticket for cancel().
   */
  function start(handle, method, args, argsJson, entry) {
    const t = { id: 0n, handle, method, args, argsJson, entry, state: 'queued', queuedAt: 0 };
    retain();
    if (running < maxInFlight) {
      launch(t);
      release();
    } else {
      t.queuedAt = Date.now();
      queue.push(t);
    }
    return t;
  }

  /** Cancels a ticket: drops it from the queue, or asks the library to cancel it. */
  function cancel(t) {
    if (t.state === 'queued') {
      queue.splice(queue.indexOf(t), 1);
      t.state = 'done';
      release();
      return true;
    }
    return t.state === 'running' && c.cancel(t.id) === 1;
  }

  /** Creates a client handle or throws with the library's error envelope. */
  function clientNew(configJson) {
    const err = [null];
    const h = BigInt(c.clientNew(configJson, err));
    const text = takeString(c, err[0]);
    if (h === 0n) return { handle: 0n, envelope: parseEnvelope(text) };
    return { handle: h, envelope: null };
  }

  /**
   * Frees a client handle on libuv's pool, not the main thread: the library cancels the
   * client's calls, and their `done` callbacks need the main thread to be free.
   */
  function clientFree(handle) {
    // Calls of this client still queued never reach the library: they end as cancelled.
    for (let i = queue.length - 1; i >= 0; i--) {
      if (queue[i].handle === handle) {
        const [t] = queue.splice(i, 1);
        failTicket(t, 'canceled', `cxreports: ${t.method} was cancelled: the client was closed before it started`);
      }
    }
    release();
    return new Promise((resolve) => {
      c.clientFree.async(handle, (err, ptr) => {
        if (err) return resolve({ ok: false, error: { code: 'internal', message: err.message } });
        resolve(parseEnvelope(takeString(c, ptr)));
      });
    });
  }

  function version() {
    return parseEnvelope(takeString(c, c.version()));
  }

  /** fn(levelNumber, message) or null; minLevel 0 debug .. 3 error. */
  function setLogHandler(fn, minLevel) {
    logHandler = fn;
    c.setLogCallback(fn ? onLog : null, minLevel, null);
  }

  return {
    file: c.file,
    abiVersion: c.abiVersion,
    start,
    cancel,
    clientNew,
    clientFree,
    version,
    setLogHandler,
    maxInFlight,
    stats: () => ({ running, queued: queue.length }),
  };
}

/** The process-wide native binding, loaded on first use. */
function native() {
  if (!globalThis[SHARED]) globalThis[SHARED] = createNative();
  return globalThis[SHARED];
}

module.exports = { native, libraryPath, ABI_VERSION };
