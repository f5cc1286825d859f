package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB savePdf and a 200 MB openPdf in flat memory: the JVM's peak RSS (VmHWM) may grow by
 * far less than the file. surefire runs this JVM with -Xmx256m, so a copy of the file in the
 * Java heap could not even be made.
 */
class MemoryTest {
    private static final long GIB = 1L << 30;

    static long statusKb(String field) throws Exception {
        List<String> lines = Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII);
        for (String l : lines) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

    @Test
    void savePdfOfOneGibInFlatMemory(@TempDir Path dir) throws Exception {
        try (Fake fake = Fake.ints(); CxReportsClient c = fake.client()) {
            c.getWorkspaces(); // the library and its runtime are up before the first reading
            long before = statusKb("VmHWM");
            // VmHWM is the kernel's peak; a sampler of VmRSS during the download backs it up
            AtomicLong maxRss = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            Thread sampler = new Thread(() -> {
                try {
                    while (!done.get()) {
                        maxRss.accumulateAndGet(statusKb("VmRSS"), Math::max);
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    maxRss.set(Long.MAX_VALUE);
                }
            });
            sampler.start();
            Download d;
            try {
                d = c.savePdf(160, dir.resolve("big.pdf"), MethodsTest.sized(GIB), null);
            } finally {
                done.set(true);
                sampler.join();
            }
            long after = statusKb("VmHWM");
            long rssGrewMb = (maxRss.get() - before) / 1024;
            assertTrue(rssGrewMb < 100, "RSS grew by " + rssGrewMb + " MB during a 1 GiB savePdf");
            assertTrue(d.getBytes() >= GIB, d.toString());
            assertEquals(d.getBytes(), Files.size(d.getPath()));
            long grewMb = (after - before) / 1024;
            System.out.println("savePdf 1 GiB: VmHWM " + before / 1024 + " MB -> " + after / 1024 + " MB (+"
                    + grewMb + " MB); VmRSS at most " + maxRss.get() / 1024 + " MB");
            assertTrue(grewMb < 100, "peak RSS grew by " + grewMb + " MB for a 1 GiB savePdf");
        }
    }

    @Test
    void openPdfOf200MbInFlatMemory() throws Exception {
        try (Fake fake = Fake.ints(); CxReportsClient c = fake.client()) {
            c.getWorkspaces();
            long before = statusKb("VmHWM");
            long n = 0;
            try (InputStream s = c.openPdf(160, MethodsTest.sized(200L << 20), null)) {
                byte[] buf = new byte[1 << 20];
                int r;
                while ((r = s.read(buf)) > 0) {
                    n += r;
                }
            }
            long grewMb = (statusKb("VmHWM") - before) / 1024;
            System.out.println("openPdf 200 MB: VmHWM +" + grewMb + " MB");
            assertTrue(n >= 200L << 20, "read " + n);
            assertTrue(grewMb < 80, "peak RSS grew by " + grewMb + " MB for a 200 MB stream");
        }
    }
}
