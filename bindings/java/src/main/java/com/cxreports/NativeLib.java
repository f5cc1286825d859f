package com.cxreports;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The only class that declares the C ABI (include/cxreports.h). Every char* the library
 * returns is declared Pointer here, copied into a Java String and released with cx_free:
 * JNA's String return type would leak it. Strings passed in are UTF-8 (the library refuses
 * anything else), whatever the JVM's default charset.
 */
final class NativeLib {
    private NativeLib() {}

    static final int ABI_VERSION = 1;

    static final int EVENT_DONE = 1;
    static final int EVENT_PROGRESS = 2;
    static final int EVENT_LOG = 3;

    /** The C functions; size_t and uint64_t are Java long (both libraries are 64-bit). */
    interface Cx extends Library {
        int cx_abi_version();

        Pointer cx_version();

        Pointer cx_methods();

        long cx_client_new(String config, PointerByReference errorJson);

        Pointer cx_client_free(long handle);

        Pointer cx_call(long handle, String method, String args);

        int cx_cancel(long requestId);

        void cx_free(Pointer p);

        long cx_inbox_new(IntByReference notifyFd, PointerByReference errorJson);

        long cx_inbox_call(long inbox, long handle, String method, String args, int wantProgress);

        int cx_inbox_next(long inbox, Event out);

        int cx_inbox_adopt(long inbox, long handle);

        void cx_inbox_set_log(long inbox, int minLevel);

        void cx_inbox_close(long inbox);

        long cx_stream_open(long handle, String method, String args, PointerByReference resultJson);

        long cx_inbox_stream_open(long inbox, long handle, String method, String args);

        long cx_stream_read(long stream, Pointer buf, long cap, PointerByReference errorJson);

        int cx_stream_close(long stream);
    }

    /** The two libc calls the inbox's reader thread needs on the notify descriptor. */
    interface LibC extends Library {
        long read(int fd, byte[] buf, long count);

        int close(int fd);
    }

    /** struct cx_event. */
    @Structure.FieldOrder({"kind", "level", "requestId", "text", "data", "len"})
    public static final class Event extends Structure {
        public int kind;
        public int level;
        public long requestId;
        public Pointer text;
        public Pointer data;
        public long len;
    }

    private static volatile Cx cx;
    private static volatile LibC libc;
    private static volatile String loadedFrom;

    /** The library, loaded once per JVM (a process can hold one Go runtime only). */
    static Cx cx() {
        Cx l = cx;
        if (l == null) {
            synchronized (NativeLib.class) {
                if (cx == null) {
                    cx = load();
                    libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
                }
                l = cx;
            }
        }
        return l;
    }

    static LibC libc() {
        cx();
        return libc;
    }

    static String loadedFrom() {
        cx();
        return loadedFrom;
    }

    private static Cx load() {
        Map<String, Object> opts = new HashMap<>();
        opts.put(Library.OPTION_STRING_ENCODING, StandardCharsets.UTF_8.name());
        opts = Collections.unmodifiableMap(opts);
        String override = System.getProperty("cxreports.lib");
        String origin = "the system property cxreports.lib";
        if (override == null || override.isEmpty()) {
            override = System.getenv("CXREPORTS_LIB");
            origin = "the environment variable CXREPORTS_LIB";
        }
        Cx l;
        if (override != null && !override.isEmpty()) {
            File f = new File(override).getAbsoluteFile();
            if (!f.isFile()) {
                throw new IllegalStateException("cxreports: the native library " + f + " (from " + origin
                        + ") does not exist. Set it to the path of libcxreports.so.");
            }
            try {
                l = Native.load(f.getPath(), Cx.class, opts);
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("cxreports: cannot load the native library " + f + " (from " + origin
                        + "): " + e.getMessage() + ". libcxreports.so needs Linux with glibc.", e);
            }
            loadedFrom = f.getPath();
        } else {
            // Native.load finds <os-arch>/libcxreports.so among the jar's resources
            // (JNA's resource prefix, e.g. linux-x86-64) and extracts it.
            String prefix = Platform.RESOURCE_PREFIX;
            String file = System.mapLibraryName("cxreports");
            if (NativeLib.class.getClassLoader().getResource(prefix + "/" + file) == null) {
                throw new IllegalStateException("cxreports: this jar carries libcxreports.so for linux-x86-64 and "
                        + "linux-aarch64 (glibc), not for os.name=" + System.getProperty("os.name") + " os.arch="
                        + System.getProperty("os.arch") + " (no " + prefix + "/" + file + " in the jar). Build the library for "
                        + "it and set the system property cxreports.lib or the environment variable CXREPORTS_LIB "
                        + "to its path.");
            }
            try {
                l = Native.load("cxreports", Cx.class, opts);
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("cxreports: cannot load the jar's " + prefix + "/" + file
                        + ": " + e.getMessage() + ". It needs Linux with glibc (musl/Alpine cannot load Go shared "
                        + "libraries); set cxreports.lib or CXREPORTS_LIB to override.", e);
            }
            loadedFrom = "the jar (" + prefix + "/" + file + ")";
        }
        int abi = l.cx_abi_version();
        if (abi != ABI_VERSION) {
            throw new IllegalStateException("cxreports: libcxreports.so from " + loadedFrom + " has ABI version "
                    + abi + ", this jar needs " + ABI_VERSION + ". Use the library that came with the jar.");
        }
        return l;
    }

    /** Copies a library-owned C string and frees it; null stays null. */
    static String take(Pointer p) {
        if (p == null) {
            return null;
        }
        try {
            return p.getString(0, StandardCharsets.UTF_8.name());
        } finally {
            cx.cx_free(p);
        }
    }

    /** Copies len library-owned bytes and frees them; null is an empty array. */
    static byte[] takeBytes(Pointer p, long len) {
        if (p == null) {
            return new byte[0];
        }
        try {
            if (len > Integer.MAX_VALUE - 8) {
                throw new CxReportsException("cxreports: the file has " + len
                        + " bytes, more than a Java array holds; use the save or open method instead", "invalid_response",
                        0, "", "", false);
            }
            return p.getByteArray(0, (int) len);
        } finally {
            cx.cx_free(p);
        }
    }
}
