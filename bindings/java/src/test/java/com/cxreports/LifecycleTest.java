package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Handles freed by close() and by the GC, the loader's errors, the logging hook. */
class LifecycleTest {
    /** The code of using handle h directly: "invalid_handle" once it was freed. */
    static String probe(long h) {
        String env = NativeLib.take(NativeLib.cx().cx_call(h, "get_pdf_url", "{\"report_id\":1}"));
        JsonNode n = Json.parse(env);
        return n.path("ok").asBoolean() ? "ok" : n.path("error").path("code").asText();
    }

    @Test
    void closeFreesTheHandle() throws Exception {
        try (Fake fake = Fake.ints()) {
            CxReportsClient c = fake.client();
            long h = c.handle();
            assertEquals("ok", probe(h));
            c.close();
            assertEquals("invalid_handle", probe(h));
        }
    }

    @Test
    void anUnclosedClientIsFreedByTheGc() throws Exception {
        try (Fake fake = Fake.ints()) {
            long h = dropClient(fake);
            assertEquals("ok", probe(h));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!probe(h).equals("invalid_handle")) {
                assertTrue(System.nanoTime() < end, "the GC never freed the handle of an unclosed client");
                System.gc();
                Thread.sleep(20);
            }
        }
    }

    private static long dropClient(Fake fake) {
        CxReportsClient c = fake.client();
        assertTrue(c.getWorkspaces().isArray());
        return c.handle();
    }

    @Test
    void anUnclosedStreamIsClosedByTheGc() throws Exception {
        try (Fake fake = Fake.ints(); CxReportsClient c = fake.client()) {
            readALittle(c);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (fake.stats().path("in_flight").asInt() > 0) {
                assertTrue(System.nanoTime() < end, "the download of a dropped stream went on");
                System.gc();
                Thread.sleep(20);
            }
        }
    }

    private static void readALittle(CxReportsClient c) throws Exception {
        ReportStream s = c.openPdf(160, MethodsTest.sized(500L << 20), null);
        assertTrue(s.read(new byte[4096]) > 0);
    }

    @Test
    void theJava8FallbackRunsActionsOfUnreachableObjects() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Object o = new Object();
        WeakReference<Object> w = new WeakReference<>(o);
        Cleanup.Phantoms.register(o, runs::incrementAndGet);
        o = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (runs.get() == 0) {
            assertTrue(System.nanoTime() < end, "the phantom-reference thread never ran the action");
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(null, w.get());
        Cleanup.Handle explicit = Cleanup.Phantoms.register(new Object(), runs::incrementAndGet);
        explicit.run();
        explicit.run();
        assertEquals(2, runs.get(), "run() runs the action exactly once");
    }

    @Test
    void aMissingLibraryIsAnErrorNamingTheOverride() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dcxreports.lib=/nonexistent/libcxreports.so", LoadProbe.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                out.append(l).append('\n');
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.toString().contains("/nonexistent/libcxreports.so (from the system property cxreports.lib)"),
                out.toString());
    }

    /** Child JVM main of the loader test. */
    public static final class LoadProbe {
        public static void main(String[] args) {
            try {
                CxReportsClient.libraryVersion();
                System.out.println("loaded");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void libraryLogLinesReachTheLogger() throws Exception {
        Logger logger = Logger.getLogger("com.cxreports.test." + System.nanoTime());
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        AtomicInteger lines = new AtomicInteger();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.incrementAndGet();
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        try (Fake fake = Fake.ints(); CxReportsClient c = CxReportsClient.builder().baseUrl(fake.url)
                .token(fake.token).logger(logger).retryWaitMin(java.time.Duration.ofMillis(10))
                .retryWaitMax(java.time.Duration.ofMillis(20)).build()) {
            fake.fault("{\"path\":\"/api/v1/workspaces\",\"faults\":[{\"status\":503}]}");
            assertTrue(c.getWorkspaces().isArray()); // retried after the 503
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines.get() == 0) {
                assertTrue(System.nanoTime() < end, "no log line for a retried request");
                Thread.sleep(10);
            }
        }
    }

    @Test
    void aDefaultLoggerPrintsNoInfoLines() throws Exception {
        // A logger at INFO, a default JVM's console level: a retried 503 and a 404 (both the
        // library's info lines) reach it as FINE, below what it shows; at FINE they arrive.
        java.util.List<Level> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Logger logger = Logger.getLogger("com.cxreports.test.quiet." + System.nanoTime());
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    seen.add(r.getLevel());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        for (Level level : new Level[] {Level.INFO, Level.FINE}) {
            logger.setLevel(level);
            seen.clear();
            try (Fake fake = Fake.ints(); CxReportsClient c = CxReportsClient.builder().baseUrl(fake.url)
                    .token(fake.token).defaultWorkspaceId(1).logger(logger)
                    .retryWaitMin(java.time.Duration.ofMillis(10)).retryWaitMax(java.time.Duration.ofMillis(20))
                    .build()) {
                fake.fault("{\"path\":\"/api/v1/workspaces\",\"faults\":[{\"status\":503}]}");
                assertTrue(c.getWorkspaces().isArray());
                org.junit.jupiter.api.Assertions.assertThrows(NotFoundException.class, () -> c.getReportPages(999999));
                if (level == Level.INFO) {
                    Thread.sleep(200); // lines are delivered on the inbox's thread: give them time to (not) come
                    assertTrue(seen.isEmpty(), "a logger at INFO got " + seen);
                } else {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!seen.contains(Level.FINE)) {
                        assertTrue(System.nanoTime() < end, "no FINE line at FINE: " + seen);
                        Thread.sleep(10);
                    }
                }
            }
        }
    }
}
