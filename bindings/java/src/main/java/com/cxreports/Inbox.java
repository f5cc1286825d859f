package com.cxreports;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's inbox (include/cxreports.h, INBOXES) and the daemon thread that empties it.
 *
 * Why an inbox and not cx_call_async callbacks: with callbacks the library would call into
 * the JVM from its own threads, JNA attaching each of them, and a callback could still be on
 * its way while the JVM shuts down or after its Callback object was collected. With the inbox
 * the library never calls Java: this thread blocks in read(2) on the notify descriptor (a
 * blocking socket), then takes every queued event with cx_inbox_next, on a thread Java owns.
 *
 * The thread holds this Inbox, never the client, so an unclosed client can be collected; its
 * Cleaner action closes the inbox, which frees the adopted handle and cancels the calls in
 * flight. The library then closes its end of the socket; the thread reads end-of-file,
 * closes the descriptor itself (so no other thread ever closes an fd this one reads) and
 * fails whatever was still pending with CanceledException.
 */
final class Inbox implements Runnable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    final long id;
    private final int fd;
    private final ConcurrentHashMap<Long, Call<?>> pending = new ConcurrentHashMap<>();
    // Held while a call starts and is registered, so that an event the reader takes
    // before the registration finds its call once the reader takes the lock too.
    private final Object startLock = new Object();
    private final Logger logger;
    private volatile boolean ended;
    private volatile Thread reader;

    private Inbox(long id, int fd, Logger logger) {
        this.id = id;
        this.fd = fd;
        this.logger = logger;
    }

    static Inbox open(Logger logger) {
        NativeLib.Cx cx = NativeLib.cx();
        IntByReference fd = new IntByReference(-1);
        PointerByReference err = new PointerByReference();
        long id = cx.cx_inbox_new(fd, err);
        if (id == 0) {
            String env = NativeLib.take(err.getValue());
            throw Calls.errorOf(Json.parse(env), null);
        }
        Inbox in = new Inbox(id, fd.getValue(), logger);
        Thread t = new Thread(in, "cxreports-inbox-" + SEQ.incrementAndGet());
        t.setDaemon(true);
        in.reader = t;
        t.start();
        return in;
    }

    /** Queues log lines of this inbox's clients from the logger's effective level up. */
    void setLogLevel(Logger log) {
        NativeLib.cx().cx_inbox_set_log(id, cxLevel(log));
    }

    private static int cxLevel(Logger log) {
        Logger l = log;
        while (l != null && l.getLevel() == null) {
            l = l.getParent();
        }
        Level lv = l == null ? Level.INFO : l.getLevel();
        if (lv.intValue() == Level.OFF.intValue()) {
            return -1;
        }
        if (lv.intValue() <= Level.FINER.intValue()) {
            return 0;
        }
        if (lv.intValue() <= Level.FINE.intValue()) {
            return 1;
        }
        return lv.intValue() <= Level.WARNING.intValue() ? 2 : 3;
    }

    boolean adopt(long handle) {
        return NativeLib.cx().cx_inbox_adopt(id, handle) == 1;
    }

    /** Starts call on handle; its outcome completes call.future on this inbox's thread. */
    void start(long handle, Call<?> call, String argsJson) {
        synchronized (startLock) {
            long rid;
            if (ended) {
                rid = 0;
            } else if (call.kind == Kind.OPEN) {
                rid = NativeLib.cx().cx_inbox_stream_open(id, handle, call.method, argsJson);
            } else {
                rid = NativeLib.cx().cx_inbox_call(id, handle, call.method, argsJson, call.wantsProgress() ? 1 : 0);
            }
            if (rid == 0) {
                call.future.completeExceptionally(Calls.closed(call.name));
                return;
            }
            call.future.requestId = rid;
            call.future.inbox = this;
            pending.put(rid, call);
        }
    }

    /** Ends the inbox: calls in flight are canceled, the adopted handle freed. Idempotent. */
    void close() {
        ended = true;
        NativeLib.cx().cx_inbox_close(id);
    }

    @Override
    public void run() {
        try {
            pump(null);
        } finally {
            synchronized (startLock) { // a call starting now sees the end; one started before is in pending
                ended = true;
            }
            NativeLib.libc().close(fd);
            for (Call<?> c : pending.values()) {
                c.future.completeExceptionally(Calls.closed(c.name));
            }
            pending.clear();
        }
    }

    /** Whether the calling thread is this inbox's reader (a listener or a future's continuation). */
    boolean isReader() {
        return Thread.currentThread() == reader;
    }

    /**
     * A synchronous call made on this inbox's own thread (in a progress listener, or in a
     * continuation of a future this thread completed) would wait for an event only this
     * thread can take. So it takes them itself, as a nested event loop, until the call is
     * done; at the end of the inbox the outer loop closes the descriptor and fails the rest.
     */
    void pumpUntil(java.util.concurrent.Future<?> f) {
        pump(f);
        if (!f.isDone()) {
            for (Call<?> c : pending.values()) {
                c.future.completeExceptionally(Calls.closed(c.name));
            }
        }
    }

    /**
     * Delivers events until the inbox ends, or until f (if given) is done. It drains before it
     * blocks: wake-ups are coalesced, so a nested pump (see pumpUntil) started while the outer
     * loop was still draining would otherwise wait for a byte the library never writes.
     */
    private void pump(java.util.concurrent.Future<?> f) {
        NativeLib.LibC libc = NativeLib.libc();
        NativeLib.Cx cx = NativeLib.cx();
        NativeLib.Event ev = new NativeLib.Event();
        byte[] buf = new byte[512];
        while (true) {
            while ((f == null || !f.isDone()) && cx.cx_inbox_next(id, ev) == 1) {
                try {
                    deliver(cx, ev);
                } catch (RuntimeException e) {
                    // one bad event must not stop the thread every other call waits on
                    logger.log(Level.SEVERE, "cxreports: an inbox event could not be delivered", e);
                }
            }
            if (f != null && f.isDone()) {
                return;
            }
            long n = libc.read(fd, buf, buf.length);
            if (n == 0) {
                return; // the library closed its end: the inbox ended
            }
            if (n < 0 && Native.getLastError() != 4 /* EINTR */) {
                return;
            }
        }
    }

    private void deliver(NativeLib.Cx cx, NativeLib.Event ev) {
        Pointer data = ev.data;
        String text;
        try {
            text = NativeLib.take(ev.text);
        } catch (RuntimeException e) {
            cx.cx_free(data);
            throw e;
        }
        if (ev.kind == NativeLib.EVENT_LOG) {
            cx.cx_free(data);
            log(ev.level, text);
            return;
        }
        Call<?> call = pending.get(ev.requestId);
        if (call == null) {
            synchronized (startLock) {
                call = pending.get(ev.requestId);
            }
        }
        if (call == null) {
            cx.cx_free(data);
            return;
        }
        if (ev.kind == NativeLib.EVENT_PROGRESS) {
            cx.cx_free(data);
            call.progress(text, logger);
            return;
        }
        pending.remove(ev.requestId);
        call.done(text, data, ev.len);
    }

    // The library's info lines (a 4xx answer, a retry) go to FINE and its debug lines
    // (each request) to FINER: a library must not print to a default JVM's console, whose
    // root logger shows INFO, what the caller learns from the exception anyway. WARNING
    // and SEVERE stay: what to do about them is the caller's business.
    private void log(int level, String message) {
        Level lv = level <= 0 ? Level.FINER : level == 1 ? Level.FINE : level == 2 ? Level.WARNING : Level.SEVERE;
        logger.log(lv, message);
    }
}
