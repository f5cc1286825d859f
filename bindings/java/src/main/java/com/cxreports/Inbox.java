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
        if (lv.intValue() <= Level.FINE.intValue()) {
            return 0;
        }
        if (lv.intValue() <= Level.INFO.intValue()) {
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
            pending.put(rid, call);
        }
        if (call.future.isCancelled()) { // canceled before it had an id to cancel
            call.future.cancelInLibrary();
        }
    }

    /** Ends the inbox: calls in flight are canceled, the adopted handle freed. Idempotent. */
    void close() {
        ended = true;
        NativeLib.cx().cx_inbox_close(id);
    }

    @Override
    public void run() {
        NativeLib.LibC libc = NativeLib.libc();
        NativeLib.Cx cx = NativeLib.cx();
        NativeLib.Event ev = new NativeLib.Event();
        byte[] buf = new byte[512];
        try {
            while (true) {
                long n = libc.read(fd, buf, buf.length);
                if (n == 0) {
                    break; // the library closed its end: the inbox ended
                }
                if (n < 0 && Native.getLastError() != 4 /* EINTR */) {
                    break;
                }
                while (cx.cx_inbox_next(id, ev) == 1) {
                    try {
                        deliver(cx, ev);
                    } catch (RuntimeException e) {
                        // one bad event must not stop the thread every other call waits on
                        logger.log(Level.SEVERE, "cxreports: an inbox event could not be delivered", e);
                    }
                }
            }
        } finally {
            ended = true;
            libc.close(fd);
            for (Call<?> c : pending.values()) {
                c.future.completeExceptionally(Calls.closed(c.name));
            }
            pending.clear();
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

    private void log(int level, String message) {
        Level lv = level <= 0 ? Level.FINE : level == 1 ? Level.INFO : level == 2 ? Level.WARNING : Level.SEVERE;
        logger.log(lv, message);
    }
}
