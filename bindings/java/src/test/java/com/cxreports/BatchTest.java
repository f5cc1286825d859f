package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** renderBatch as a Stream: results as they finish, concurrency N and auto, reruns, cancel. */
class BatchTest {
    private static List<Object> items(int n, int delayMs) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = new HashMap<>();
            p.put("invoice", "INV-" + i);
            if (delayMs > 0) {
                p.put("fakeDelayMs", delayMs);
            }
            out.add(BatchItem.of(160, String.format("r/%02d.pdf", i)).params(p));
        }
        return out;
    }

    @Test
    void rendersWithAFixedConcurrencyThenSkipsOnRerun(@TempDir Path dir) throws Exception {
        try (Fake fake = Fake.guids(); CxReportsClient c = fake.client()) {
            List<BatchResult> got;
            try (Stream<BatchResult> s = c.renderBatch(items(20, 50), BatchOptions.create().outDir(dir)
                    .concurrency(4))) {
                got = s.collect(Collectors.toList());
            }
            assertEquals(20, got.size());
            for (BatchResult r : got) {
                assertTrue(r.isOk(), r.toString());
                assertNull(r.getError());
                assertTrue(Files.size(r.getOutput()) == r.getBytes());
            }
            assertEquals(4, fake.stats().path("peak_renders").asInt());
            try (Stream<BatchResult> s = c.renderBatch(items(20, 0), BatchOptions.create().outDir(dir))) {
                assertTrue(s.allMatch(r -> r.getStatus().equals("skipped")));
            }
        }
    }

    @Test
    void autoConcurrencyABadItemAndTheSummary(@TempDir Path dir) throws Exception {
        try (Fake fake = Fake.ints(); CxReportsClient c = fake.client()) {
            List<Object> its = items(10, 0);
            Map<String, Object> missing = new HashMap<>(); // a Map item: no such report
            missing.put("report", 999999);
            missing.put("output", "missing.pdf");
            its.add(missing);
            List<BatchResult> got;
            try (Stream<BatchResult> s = c.renderBatch(its, BatchOptions.create().outDir(dir).concurrencyAuto())) {
                got = s.collect(Collectors.toList());
            }
            assertEquals(11, got.size());
            BatchResult bad = got.stream().filter(r -> r.getIndex() == 10).findFirst().get();
            assertEquals("failed", bad.getStatus());
            assertNotNull(bad.getError());
            assertEquals(404, bad.getError().getStatus());
            List<Progress> events = Collections.synchronizedList(new ArrayList<>());
            JsonNode summary = c.renderBatchAsync(its, BatchOptions.create().outDir(dir).force(true)
                    .onProgress(events::add)).get(60, TimeUnit.SECONDS);
            assertEquals(10, summary.path("ok").asInt(), summary.toString());
            assertEquals(1, summary.path("failed").asInt());
            assertEquals(11, summary.path("results").size());
            assertEquals("batch", events.get(events.size() - 1).getStage());
        }
    }

    @Test
    void closingTheStreamCancelsTheBatch(@TempDir Path dir) throws Exception {
        try (Fake fake = Fake.ints(); CxReportsClient c = fake.client()) {
            Stream<BatchResult> s = c.renderBatch(items(40, 400), BatchOptions.create().outDir(dir).concurrency(2));
            Iterator<BatchResult> it = s.iterator();
            assertTrue(it.next().isOk());
            s.close();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fake.stats().path("in_flight").asInt() > 0) {
                assertTrue(System.nanoTime() < end, "renders went on after the stream was closed");
                Thread.sleep(10);
            }
            long pdfs;
            try (Stream<Path> files = Files.walk(dir)) {
                pdfs = files.filter(p -> p.toString().endsWith(".pdf")).count();
            }
            assertTrue(pdfs < 40, "all " + pdfs + " rendered: the batch was not canceled");
            try (Stream<Path> files = Files.walk(dir)) {
                assertEquals(0, files.filter(p -> !Files.isDirectory(p) && !p.toString().endsWith(".pdf")).count(),
                        "a canceled batch left a partial file");
            }
        }
    }
}
