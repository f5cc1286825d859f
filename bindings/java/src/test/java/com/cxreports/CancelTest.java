package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Cancellation of a sync call from another thread, of a future, by close(); 64 concurrent calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelTest {
    private Fake fake;
    private CxReportsClient client;

    @BeforeAll
    void start() throws Exception {
        fake = Fake.ints();
        client = fake.client();
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    private static Map<String, Object> slow(int ms) {
        return Collections.singletonMap("params", Collections.singletonMap("fakeDelayMs", ms));
    }

    /** Waits (bounded) until the fake has n requests in flight. */
    private void awaitInFlight(int n) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fake.stats().path("in_flight").asInt() < n) {
            assertTrue(System.nanoTime() < end, "the fake never saw " + n + " requests in flight");
            Thread.sleep(10);
        }
    }

    private void awaitIdle() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fake.stats().path("in_flight").asInt() > 0) {
            assertTrue(System.nanoTime() < end, "the request was not canceled at the server");
            Thread.sleep(10);
        }
    }

    @Test
    void interruptCancelsASyncCall() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                client.getPdf(160, slow(60_000), null);
            } catch (Throwable e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        awaitInFlight(1);
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive(), "the interrupted call did not return");
        assertInstanceOf(CanceledException.class, thrown.get());
        assertEquals("canceled", ((CanceledException) thrown.get()).getCode());
        assertTrue(stillInterrupted.get(), "the thread lost its interrupt status");
        awaitIdle();
    }

    @Test
    void futureCancelCancelsTheCallInTheLibrary(@TempDir Path dir) throws Exception {
        CompletableFuture<byte[]> f = client.getPdfAsync(160, slow(60_000), null);
        awaitInFlight(1);
        assertTrue(f.cancel(true));
        assertThrows(CancellationException.class, f::join);
        awaitIdle();
        // a save removes its temporary file when canceled
        Path out = dir.resolve("x.pdf");
        CompletableFuture<Download> s = client.savePdfAsync(160, out, slow(60_000), null);
        awaitInFlight(1);
        s.cancel(true);
        awaitIdle();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.list(dir).count() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(0, Files.list(dir).count(), "a canceled save left a file behind");
    }

    @Test
    void cancelingAnOpeningStreamCancelsItsRequest() throws Exception {
        CompletableFuture<ReportStream> f = client.openPdfAsync(160, slow(60_000), null);
        awaitInFlight(1);
        assertTrue(f.cancel(true));
        awaitIdle();
        // a stream already open is not canceled by cancel() of its finished future
        CompletableFuture<ReportStream> g = client.openPdfAsync(160, null, null);
        try (ReportStream s = g.get(10, TimeUnit.SECONDS)) {
            assertFalse(g.cancel(true));
            assertTrue(s.read(new byte[100]) > 0);
        }
    }

    @Test
    void closeCancelsCallsInFlight() throws Exception {
        CxReportsClient c = fake.client();
        CompletableFuture<byte[]> f = c.getPdfAsync(160, slow(60_000), null);
        awaitInFlight(1);
        c.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(CanceledException.class, e.getCause());
        awaitIdle();
    }

    @Test
    void streamCloseFromAnotherThreadEndsARead() throws Exception {
        ReportStream s = client.openPdf(160, Collections.singletonMap("params",
                Collections.singletonMap("fakeSizeBytes", 50_000_000)), null);
        byte[] buf = new byte[1 << 16];
        assertTrue(s.read(buf) > 0);
        s.close();
        assertThrows(IOException.class, () -> s.read(buf));
        awaitIdle();
    }

    @Test
    void sixtyFourConcurrentCalls() throws Exception {
        List<CompletableFuture<byte[]>> fs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            fs.add(client.getPdfAsync(160, slow(300), null));
        }
        for (CompletableFuture<byte[]> f : fs) {
            assertTrue(f.get(60, TimeUnit.SECONDS).length > 5);
        }
        // and 64 threads sharing the client synchronously
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 64; i++) {
            final int n = i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    if (n % 2 == 0) {
                        assertTrue(client.getWorkspaces().isArray());
                    } else {
                        assertTrue(client.getPdf(160, slow(200), null).length > 5);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertEquals(Collections.emptyList(), errors);
        assertTrue(fake.stats().path("peak_concurrency").asInt() >= 16, fake.stats().toString());
    }
}
