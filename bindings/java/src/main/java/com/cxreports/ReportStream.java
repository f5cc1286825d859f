package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.jna.Memory;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A download read at the reader's pace (cx_stream_*): the library reads from the network
 * at most two pieces (up to 1 MiB each) ahead, so a file of any size takes the same memory. Reads block the calling
 * thread. close() may come from another thread: a read waiting then ends with an IOException
 * whose cause is a CanceledException. Closing before the end cancels the download. Errors
 * are IOExceptions (InputStream's contract) with the CxReportsException as cause.
 */
public final class ReportStream extends InputStream {
    private static final int BUFFER = 256 * 1024;

    private final long id;
    private final JsonNode info;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object readLock = new Object();
    // A stream dropped without close() still closes its library stream (and connection).
    private final Cleanup.Handle cleanup;
    private Memory buf;
    private boolean eof;

    ReportStream(long id, JsonNode info) {
        this.id = id;
        this.info = info;
        this.cleanup = Cleanup.register(this, () -> NativeLib.cx().cx_stream_close(id));
    }

    /** The Content-Length, -1 when the server sent none. */
    public long getLength() {
        return info.path("bytes").asLong(-1);
    }

    public String getContentType() {
        return info.path("content_type").asText("");
    }

    /** The file name the server suggested, "" when none. */
    public String getFilename() {
        return info.path("filename").asText("");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || len > b.length - off) {
            throw new IndexOutOfBoundsException();
        }
        if (len == 0) {
            return 0;
        }
        synchronized (readLock) {
            if (eof) {
                return -1;
            }
            if (closed.get()) {
                throw new IOException("cxreports: the stream is closed");
            }
            if (buf == null) {
                buf = new Memory(BUFFER);
            }
            PointerByReference err = new PointerByReference();
            long n = NativeLib.cx().cx_stream_read(id, buf, Math.min(len, BUFFER), err);
            if (n < 0) {
                CxReportsException e = Calls.errorOf(Json.parse(NativeLib.take(err.getValue())), null);
                throw new IOException(e.getMessage(), e);
            }
            if (n == 0) {
                eof = true;
                return -1;
            }
            buf.read(0, b, off, (int) n);
            return (int) n;
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cleanup.run();
        }
    }
}
