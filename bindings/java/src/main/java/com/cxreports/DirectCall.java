package com.cxreports;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The fast path of a synchronous call without a progress listener: cx_call (cx_call_bytes)
 * on the calling thread, which sleeps in the library until the answer is in. That saves the
 * hand-over through the inbox thread (about 100 us a call on a busy 2-core machine).
 *
 * Thread.interrupt() still cancels it, through the library's interrupt_fd: the call watches
 * the read end of a pipe, and an AbstractInterruptibleChannel (the JDK's public hook for
 * interruptible blocking I/O, Java 1.4 up) writes a byte to the pipe when the thread is
 * interrupted while the call runs (or was interrupted before it started). The pipes are
 * pooled, one per call in flight at most, and drained before they are reused.
 */
final class DirectCall {
    private DirectCall() {}

    private static final int O_NONBLOCK = 04000; // the same on x86_64 and aarch64 Linux
    private static final int O_CLOEXEC = 02000000;
    private static final ConcurrentLinkedQueue<int[]> PIPES = new ConcurrentLinkedQueue<>();

    /** Closes over one call's pipe: an interrupt of the waiting thread makes it readable. */
    private static final class Interruptor extends AbstractInterruptibleChannel {
        private final int writeFd;

        Interruptor(int writeFd) {
            this.writeFd = writeFd;
        }

        void enter() {
            begin();
        }

        /** Whether the thread was interrupted during the call (the pipe then holds a byte). */
        boolean exit() {
            try {
                end(true);
                return !isOpen();
            } catch (IOException e) { // ClosedByInterruptException
                return true;
            }
        }

        @Override
        protected void implCloseChannel() {
            NativeLib.libc().write(writeFd, new byte[] {1}, 1);
        }
    }

    private static int[] pipe() {
        int[] p = PIPES.poll();
        if (p != null) {
            return p;
        }
        p = new int[2];
        if (NativeLib.libc().pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) {
            throw new CxReportsException("cxreports: cannot create a pipe for the call's interrupt_fd (errno "
                    + com.sun.jna.Native.getLastError() + ")", "internal", 0, "", "", false);
        }
        return p;
    }

    private static void drain(int fd) {
        byte[] buf = new byte[64];
        while (NativeLib.libc().read(fd, buf, buf.length) > 0) {
            // a non-blocking pipe: read until it is empty (-1, EAGAIN)
        }
    }

    /** Runs call on handle on this thread and completes its future. */
    static void run(long handle, Call<?> call, ObjectNode args) {
        int[] p = pipe();
        boolean interrupted = false;
        try {
            args.set("interrupt_fd", IntNode.valueOf(p[0]));
            String json = Json.write(args);
            Interruptor in = new Interruptor(p[1]);
            NativeLib.Cx cx = NativeLib.cx();
            String env;
            Pointer data = null;
            long len = 0;
            in.enter();
            try {
                if (call.kind == Kind.BYTES) {
                    PointerByReference out = new PointerByReference();
                    LongByReference outLen = new LongByReference();
                    env = NativeLib.take(cx.cx_call_bytes(handle, call.method, json, out, outLen));
                    data = out.getValue();
                    len = outLen.getValue();
                } else {
                    env = NativeLib.take(cx.cx_call(handle, call.method, json));
                }
            } finally {
                interrupted = in.exit();
            }
            if (interrupted && "canceled".equals(Json.parse(env).path("error").path("code").asText())) {
                // in Java terms, not "interrupt_fd N became readable"
                call.future.completeExceptionally(new CanceledException("cxreports: " + call.name
                        + ": canceled: the calling thread was interrupted", "canceled", 0, "", "", false, "", ""));
            }
            call.done(env, data, len);
        } finally {
            if (interrupted) {
                drain(p[0]);
            }
            PIPES.add(p);
        }
    }
}
