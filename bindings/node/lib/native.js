'use strict';
// The only file that touches the C ABI (include/cxreports.h). It loads libcxreports.so
// (cxreports.dll on Windows) once per JavaScript thread (the main thread and each worker_thread), checks its ABI
// version and runs calls through the library's inbox (cx_inbox_*).
//
// Why an inbox and no callbacks: a koffi callback called from a foreign (Go) thread is
// relayed to its JS thread through a thread-safe function while the Go thread waits.
// If that thread is a worker that has ended (terminate(), process.exit() inside it),
// the relay aborts the whole process (napi_call_threadsafe_function on the worker's
// freed function) or crashes in koffi (the trampoline's instance is gone). No cleanup
// could make that safe: even a hook run at the worker's teardown (napi_add_env_cleanup_
// hook, which koffi.node.env would let us reach) runs on the worker's thread, the only
// one that could complete a relay already queued to it, so it could neither wait for
// such a relay nor stop it. So nothing in the library ever calls into JavaScript. Each thread has one inbox: the library queues the
// results, progress events and log lines of that thread's calls there and writes a
// byte to a socket this thread watches from its event loop ('data' below); the
// thread then takes the events with cx_inbox_next, synchronously, on its own thread.
// When the thread ends, Node closes the socket, and the library closes the inbox: the
// thread's calls are canceled (a save* removes its temporary file), its clients freed,
// its log handler dropped, and whatever completes later is freed without being
// delivered.
//
// Why not koffi's `.async`: it runs each blocking call on libuv's thread pool (4 threads
// by default), which would cap the binding at 4 requests in flight. cx_inbox_call starts
// a goroutine per request, so nothing here waits on a thread.
//
// Pointers are BigInt values; every char*/uint8_t* the library gives us is declared
// `void *` (or read from the cx_event buffer) and passed to cx_free once copied.

const path = require('node:path');
const fs = require('node:fs');
const net = require('node:net');
const koffi = require('koffi');

const ABI_VERSION = 1;
// A process can hold only one Go runtime, so two copies of this package (say, two
// versions in node_modules) loaded by one thread must share one loaded library and one
// inbox. (Each worker_thread has its own globalThis, and so its own inbox.)
const SHARED = Symbol.for('cxreports.native.v1');

// The libraries this package bundles, as lib/<platform>-<arch>/libcxreports.so, built for
// glibc 2.17 or later (musl cannot load a Go shared library at all), and as
// lib/win32-<arch>/cxreports.dll, for Windows 8.1 or later.
const BUNDLED = ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64'];
const WINDOWS = process.platform === 'win32';
const LIBRARY = WINDOWS ? 'cxreports.dll' : 'libcxreports.so';

function libraryPath() {
  const fromEnv = process.env.CXREPORTS_LIB;
  if (fromEnv) return { file: path.resolve(fromEnv), origin: 'the CXREPORTS_LIB environment variable' };
  const platform = `${process.platform}-${process.arch}`;
  const file = path.join(__dirname, platform, LIBRARY);
  let unsupported = null;
  if (!BUNDLED.includes(platform)) {
    unsupported = `${platform}. Build ${LIBRARY} for it (see the project's README) and set CXREPORTS_LIB to its path`;
  } else if (!WINDOWS && !process.report.getReport().header.glibcVersionRuntime) {
    unsupported = `${platform} with musl libc, which cannot load a Go shared library. Use a glibc-based system ` +
      '(for Docker, e.g. node:20-slim rather than node:20-alpine)';
  }
  return { file, origin: 'the cxreports package', unsupported };
}

function loadLibrary() {
  const where = libraryPath();
  if (where.unsupported) {
    throw new Error(
      `cxreports: this package bundles its library for ${BUNDLED.join(', ')} (Linux with glibc 2.17 or ` +
        `later, Windows 8.1 or later), not for ${where.unsupported}.`,
    );
  }
  if (!fs.existsSync(where.file)) {
    throw new Error(
      `cxreports: the native library ${where.file} (from ${where.origin}) does not exist. ` +
        `Reinstall the cxreports package, or set CXREPORTS_LIB to the path of ${LIBRARY}.`,
    );
  }
  let lib;
  try {
    // koffi unloads a library when the thread that loaded it ends; the DLL pins itself
    // at load (capi/pin_windows.c), so the Go runtime's threads keep their code.
    lib = koffi.load(where.file);
  } catch (err) {
    throw new Error(
      `cxreports: cannot load the native library ${where.file} (from ${where.origin}): ${err.message}. ` +
        (WINDOWS
          ? `cxreports.dll needs Windows 8.1 or later and a ${process.arch} Node.`
          : 'libcxreports.so needs Linux with glibc (musl/Alpine cannot load Go shared libraries).'),
      { cause: err },
    );
  }
  const fn = (decl) => lib.func(decl);
  const abiVersion = fn('int cx_abi_version()')();
  if (abiVersion !== ABI_VERSION) {
    throw new Error(
      `cxreports: ${where.file} speaks C ABI version ${abiVersion}, but this package needs version ` +
        `${ABI_VERSION}. Install a cxreports package built with that library, or point CXREPORTS_LIB ` +
        `at a matching ${LIBRARY}.`,
    );
  }

  let c;
  try {
    c = {
      file: where.file,
      abiVersion,
      version: fn('void *cx_version()'),
      clientNew: fn('uint64_t cx_client_new(const char *config_json, _Out_ void **error_json)'),
      clientFree: fn('void *cx_client_free(uint64_t h)'),
      cancel: fn('int cx_cancel(uint64_t request_id)'),
      free: fn('void cx_free(void *p)'),
      inboxNew: fn('uint64_t cx_inbox_new(_Out_ int *notify_fd, _Out_ void **error_json)'),
      inboxCall: fn('uint64_t cx_inbox_call(uint64_t inbox, uint64_t h, const char *method, const char *args_json, int want_progress)'),
      inboxNext: fn('int cx_inbox_next(uint64_t inbox, void *out)'),
      inboxAdopt: fn('int cx_inbox_adopt(uint64_t inbox, uint64_t h)'),
      inboxSetLog: fn('void cx_inbox_set_log(uint64_t inbox, int min_level)'),
      inboxStreamOpen: fn('uint64_t cx_inbox_stream_open(uint64_t inbox, uint64_t h, const char *method, const char *args_json)'),
      inboxStreamRead: fn('uint64_t cx_inbox_stream_read(uint64_t inbox, uint64_t stream, size_t cap)'),
      streamClose: fn('int cx_stream_close(uint64_t stream)'),
      // The C runtime's memcpy: it copies result bytes into a Buffer this thread
      // allocated. koffi.view would wrap them in an external ArrayBuffer first, and that
      // Node-API call fails while the worker terminates; koffi then cannot throw
      // either, and Node aborts the whole process.
      copy: memcpy(lib),
    };
  } catch (err) {
    throw new Error(
      `cxreports: ${where.file} (from ${where.origin}) lacks a function this package needs (${err.message}); ` +
        'it is older than this package. Install a cxreports package built with its own library, or point ' +
        `CXREPORTS_LIB at a current ${LIBRARY}.`,
      { cause: err },
    );
  }
  return c;
}

const MEMCPY = 'void memcpy(void *dst, void *src, size_t n)';

/**
 * memcpy. On Linux dlsym finds libc's through the library's own dependencies. A Windows
 * DLL offers only its own exports, so there it comes from the C runtime itself:
 * ucrtbase.dll (Windows 10, and 8.1 with its update), else msvcrt.dll (every Windows).
 */
function memcpy(lib) {
  if (!WINDOWS) return lib.func(MEMCPY);
  let last;
  for (const crt of ['ucrtbase.dll', 'msvcrt.dll']) {
    try {
      return koffi.load(crt).func(MEMCPY);
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`no memcpy in ucrtbase.dll or msvcrt.dll: ${last.message}`);
}

/**
 * The socket this thread watches for the inbox's wake-ups. On Linux notify_fd is a file
 * descriptor. On Windows it is a SOCKET handle (the host's end of a loopback TCP pair,
 * capi/dispatch/inbox_windows.go), while net.Socket's fd option takes only C runtime
 * file descriptors there; libuv's TCP handle adopts a SOCKET as it is (uv_tcp_open),
 * and tcp_wrap's TCP, which Node's net module is built on, is that handle. It is
 * reached through process.binding (its allow-list includes tcp_wrap; Node 18 to 24).
 */
function wakeupSocket(fd) {
  if (!WINDOWS) return new net.Socket({ fd, readable: true, writable: false });
  const { TCP, constants } = process.binding('tcp_wrap');
  const handle = new TCP(constants.SOCKET);
  const err = handle.open(fd);
  if (err) throw new Error(`cxreports: cannot watch the library's event queue socket (libuv error ${err})`);
  return new net.Socket({ handle, readable: true, writable: false });
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
    if (n > 0) c.copy(out, ptr, n);
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
  const c = loadLibrary();

  // This thread's inbox and the socket the library wakes it through.
  const fdOut = [-1];
  const errOut = [null];
  const inbox = BigInt(c.inboxNew(fdOut, errOut));
  const inboxError = takeString(c, errOut[0]);
  if (inbox === 0n) {
    const env = parseEnvelope(inboxError);
    throw new Error(`cxreports: cannot set up the library's event queue: ${(env.error && env.error.message) || inboxError}`);
  }
  let broken = null; // why the inbox can no longer be used, once it cannot
  const wakeup = wakeupSocket(fdOut[0]);

  // Every call starts in the library at once: nothing here caps how many run. (A cap of
  // half of koffi.config().max_async_calls once protected koffi's callback relays; with
  // the inbox no koffi callback is left, and 2000 calls at once measure fine, see the
  // README, "How it runs".)
  const pending = new Map(); // request id (BigInt) -> running ticket

  // The wake-up socket is ref'd while calls are running, which keeps the process (or
  // worker) alive until they settle; an idle client holds nothing.
  let held = false;
  function retain() {
    if (!held) {
      wakeup.ref();
      held = true;
    }
  }
  function release() {
    if (held && pending.size === 0) {
      wakeup.unref();
      held = false;
    }
  }
  wakeup.unref();

  function failTicket(t, code, message) {
    t.state = 'done';
    queueMicrotask(() => t.entry.finish({ ok: false, error: { code, message } }, null));
  }

  let logHandler = null;

  // struct cx_event, filled by cx_inbox_next: int kind, int level, uint64_t
  // request_id, char *text, uint8_t *data, size_t len (x86-64 / aarch64 layout). One
  // buffer is reused, so taking an event allocates nothing but its text.
  const eventBuf = Buffer.alloc(40);
  const eventInt = new Int32Array(eventBuf.buffer, eventBuf.byteOffset, 2);
  const eventU64 = new BigUint64Array(eventBuf.buffer, eventBuf.byteOffset, 5);

  /** Takes every event the library queued for this thread and hands each over. */
  function takeEvents() {
    while (c.inboxNext(inbox, eventBuf) === 1) {
      const kind = eventInt[0];
      const level = eventInt[1];
      const id = eventU64[1];
      const text = takeString(c, eventU64[2]);
      const dataPtr = eventU64[3];
      const len = eventU64[4];
      if (kind === 1) {
        let envelope = parseEnvelope(text);
        let bytes = null;
        try {
          if (dataPtr !== 0n) bytes = takeBytes(c, dataPtr, len);
        } catch (err) {
          envelope = { ok: false, error: { code: 'internal', message: `cxreports: cannot copy the result bytes: ${err.message}` } };
        }
        const t = pending.get(id);
        if (!t) continue;
        pending.delete(id);
        t.state = 'done';
        queueMicrotask(() => t.entry.finish(envelope, bytes));
      } else if (kind === 2) {
        let event;
        try {
          event = JSON.parse(text);
        } catch {
          continue; // a progress report we cannot read is not worth failing the call for
        }
        const t = pending.get(id);
        if (t && t.entry.progress) queueMicrotask(() => t.entry.progress(event));
      } else if (kind === 3) {
        const handler = logHandler;
        if (handler) queueMicrotask(() => handler(level, text));
      }
    }
    release();
  }

  /** The socket closed while this thread runs: nothing more can arrive. */
  function onBroken(reason) {
    if (broken) return;
    broken = `cxreports: the library's event queue of this thread closed (${reason}); ` +
      'calls can no longer complete. This is a bug; please report it.';
    for (const t of pending.values()) failTicket(t, 'internal', broken);
    pending.clear();
    release();
  }

  wakeup.on('data', takeEvents);
  wakeup.on('error', (err) => onBroken(err.message));
  wakeup.on('close', () => onBroken('the socket closed'));

  /**
   * Starts `method` now and calls entry.finish(envelope, bytes) exactly once, later.
   * `argsJson` is the JSON of the arguments. Returns a ticket for cancel().
   */
  function start(handle, method, argsJson, entry) {
    return begin(method, entry, () => c.inboxCall(inbox, handle, method, argsJson, entry.progress ? 1 : 0));
  }

  /** The ticket of a call that launch() starts in the library (0: it refused). */
  function begin(what, entry, launch) {
    const t = { id: 0n, entry, state: 'running' };
    if (broken) {
      failTicket(t, 'internal', broken);
      return t;
    }
    const id = BigInt(launch());
    if (id === 0n) {
      failTicket(t, 'internal', `cxreports: the library refused to start ${what}: this thread's event queue is closed`);
      return t;
    }
    t.id = id;
    pending.set(id, t);
    retain();
    return t;
  }

  /**
   * Opens `method` (a bytes method) as a stream through the inbox; entry.finish gets
   * cx_stream_open's envelope, and the ticket's id is the stream's id.
   */
  function streamOpen(handle, method, argsJson, entry) {
    return begin(method, entry, () => c.inboxStreamOpen(inbox, handle, method, argsJson));
  }

  /** Reads up to cap bytes of a stream; entry.finish(envelope, bytes) (no bytes: the end). */
  function streamRead(stream, cap, entry) {
    return begin('a stream read', entry, () => c.inboxStreamRead(inbox, stream, cap));
  }

  /** Closes a stream: its request is canceled and a read in flight ends. */
  function streamClose(stream) {
    if (!broken) c.streamClose(stream);
  }

  /**
   * Asks the library to cancel a ticket's call: its finish still comes, once the
   * library has stopped the call and cleaned up after it. Nothing once it finished.
   */
  function cancel(t) {
    if (t.state === 'running') c.cancel(t.id);
  }

  /** Creates a client handle owned by this thread, or returns the error envelope. */
  function clientNew(configJson) {
    if (broken) return { handle: 0n, envelope: { ok: false, error: { code: 'internal', message: broken } } };
    const err = [null];
    const h = BigInt(c.clientNew(configJson, err));
    const text = takeString(c, err[0]);
    if (h === 0n) return { handle: 0n, envelope: parseEnvelope(text) };
    // The inbox owns the client: it is freed when this thread ends, and its log lines
    // come to this thread's handler.
    if (c.inboxAdopt(inbox, h) !== 1) {
      takeString(c, c.clientFree(h));
      return { handle: 0n, envelope: { ok: false, error: { code: 'internal', message: 'cxreports: the library refused to register the client with this thread' } } };
    }
    return { handle: h, envelope: null };
  }

  /**
   * Frees a client handle. The library cancels the client's calls (their results
   * arrive as usual, as "canceled") and does not wait for them.
   */
  function clientFree(handle) {
    try {
      return Promise.resolve(parseEnvelope(takeString(c, c.clientFree(handle))));
    } catch (err) {
      return Promise.resolve({ ok: false, error: { code: 'internal', message: err.message } });
    }
  }

  function version() {
    return parseEnvelope(takeString(c, c.version()));
  }

  /**
   * fn(levelNumber, message) or null; minLevel 0 debug .. 3 error. It receives the log
   * lines of the clients of this thread, and is dropped when the thread ends.
   */
  function setLogHandler(fn, minLevel) {
    logHandler = fn;
    c.inboxSetLog(inbox, fn ? minLevel : -1);
  }

  return {
    file: c.file,
    abiVersion: c.abiVersion,
    start,
    cancel,
    streamOpen,
    streamRead,
    streamClose,
    clientNew,
    clientFree,
    version,
    setLogHandler,
  };
}

/** This thread's native binding, loaded on first use. */
function native() {
  if (!globalThis[SHARED]) globalThis[SHARED] = createNative();
  return globalThis[SHARED];
}

module.exports = { native, libraryPath, ABI_VERSION };
