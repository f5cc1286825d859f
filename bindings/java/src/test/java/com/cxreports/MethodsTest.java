package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every method of the table, sync and async, against the fake with int and with GUID ids. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MethodsTest {
    private final Map<String, Fake> fakes = new TreeMap<>();
    private final Map<String, CxReportsClient> clients = new TreeMap<>();

    @BeforeAll
    void start() throws Exception {
        fakes.put("int", Fake.ints());
        fakes.put("guid", Fake.guids());
        for (Map.Entry<String, Fake> e : fakes.entrySet()) {
            clients.put(e.getKey(), e.getValue().client());
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (CxReportsClient c : clients.values()) {
            c.close();
        }
        for (Fake f : fakes.values()) {
            f.close();
        }
    }

    /** get_pdf's params: the query's "params" member holds the render's parameters. */
    static Map<String, Object> sized(long n) {
        return Collections.singletonMap("params", Collections.singletonMap("fakeSizeBytes", n));
    }

    private static boolean isPdf(byte[] b) {
        return b.length > 5 && new String(b, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-");
    }

    /** The id as the server sent it, as the overload a caller would pick. */
    private static boolean isGuid(JsonNode id) {
        return id.isTextual();
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void catalogues(String ids) throws Exception {
        CxReportsClient c = clients.get(ids);
        JsonNode ws = c.getWorkspaces();
        assertTrue(ws.isArray() && ws.size() >= 3, ws.toString());
        assertEquals("main", ws.get(0).path("code").asText());
        assertTrue(c.getReportTypes().get(0).has("code"));
        assertEquals("dark", c.getThemes().get(0).path("code").asText());
        assertEquals("Default", c.getTemplates().get(0).path("code").asText());
        assertEquals(42, c.getJobs().get(0).path("id").asInt());
        assertEquals(ws, c.getWorkspacesAsync().get(10, TimeUnit.SECONDS));
        // per-call workspace: by id (0 is workspace 0, not the default) and by code
        assertTrue(c.getThemes(CallOptions.create().workspaceId(0)).isArray());
        assertTrue(c.getThemesAsync(CallOptions.create().workspaceId("sales team")).get(10, TimeUnit.SECONDS)
                .isArray());
        JsonNode last = last(fakes.get(ids));
        assertTrue(last.path("path").asText().contains("sales%20team")
                || last.path("path").asText().contains("sales team"), last.toString());
        assertTrue(c.getReportTypes(CallOptions.create().workspaceId(26)).isArray());
        assertTrue(c.getTemplatesAsync().get(10, TimeUnit.SECONDS).isArray());
        assertTrue(c.getJobsAsync(CallOptions.create().workspaceId(1)).get(10, TimeUnit.SECONDS).isArray());
        assertTrue(c.getReportTypesAsync().get(10, TimeUnit.SECONDS).isArray());
    }

    private static JsonNode last(Fake f) throws Exception {
        JsonNode r = f.requests();
        return r.get(r.size() - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void reports(String ids) throws Exception {
        CxReportsClient c = clients.get(ids);
        JsonNode all = c.getReports();
        assertEquals(160, all.get(0).path("id").asInt());
        assertTrue(c.getReports("invoice").size() >= 1);
        JsonNode page = c.getReports(null, 1, 1, null);
        assertEquals(1, page.size());
        assertEquals(161, page.get(0).path("id").asInt());
        assertEquals(page, c.getReportsAsync(null, 1, 1, CallOptions.create().workspaceId(1))
                .get(10, TimeUnit.SECONDS));
        JsonNode pages = c.getReportPages(160);
        assertEquals("Cover", pages.get(0).path("name").asText());
        assertEquals(pages, c.getReportPages("160"));
        assertEquals(pages, c.getReportPagesAsync(160, CallOptions.create().workspaceId("main")).get(10,
                TimeUnit.SECONDS));
        assertTrue(c.getReportsAsync("invoice").get(10, TimeUnit.SECONDS).isArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void renders(String ids, @TempDir Path dir) throws Exception {
        CxReportsClient c = clients.get(ids);
        byte[] pdf = c.getPdf(160);
        assertTrue(isPdf(pdf));
        byte[] big = c.getPdf(160, sized(300_000), CallOptions.create().theme("dark"));
        assertTrue(big.length >= 300_000);
        JsonNode q = last(fakes.get(ids));
        assertTrue(q.path("raw_query").asText().contains("theme=dark"), q.toString());
        assertTrue(isPdf(c.getPdf("invoice")));
        assertTrue(isPdf(c.getPdfAsync(160).get(10, TimeUnit.SECONDS)));
        assertTrue(isPdf(c.postPdf(160)));
        Map<String, Object> body = Collections.singletonMap("data", Collections.singletonMap("n", "INV-4711"));
        assertTrue(isPdf(c.postPdf(160, body, null)));
        assertTrue(last(fakes.get(ids)).path("body").asText().contains("INV-4711"));
        assertTrue(isPdf(c.postPdfAsync("invoice").get(10, TimeUnit.SECONDS)));

        List<Progress> events = Collections.synchronizedList(new ArrayList<>());
        Path out = dir.resolve("a.pdf");
        Download d = c.savePdf(160, out, sized(200_000), CallOptions.create().onProgress(events::add));
        assertEquals(out.toAbsolutePath(), d.getPath());
        assertEquals(Files.size(out), d.getBytes());
        assertEquals("application/pdf", d.getContentType());
        Progress lastEv = events.get(events.size() - 1);
        assertEquals("done", lastEv.getStage());
        assertEquals(d.getBytes(), lastEv.getBytesDone());
        assertEquals(d.getBytes(), lastEv.getBytesTotal());
        Download d2 = c.savePdfAsync("160", dir.resolve("b.pdf")).get(10, TimeUnit.SECONDS);
        assertTrue(isPdf(Files.readAllBytes(d2.getPath())));
        Download d3 = c.savePostPdf(160, dir.resolve("c.pdf"), body, null);
        assertTrue(isPdf(Files.readAllBytes(d3.getPath())));
        assertTrue(c.savePostPdfAsync(160, dir.resolve("d.pdf")).get(10, TimeUnit.SECONDS).getBytes() > 0);

        String url = c.getPdfUrl(160, Collections.singletonMap("lang", "de"), CallOptions.create().theme("dark"));
        assertTrue(url.startsWith(fakes.get(ids).url), url);
        assertTrue(url.contains("lang=de") && url.contains("theme=dark"), url);
        assertFalse(url.contains(fakes.get(ids).token));
        assertEquals(url, c.getPdfUrlAsync(160, Collections.singletonMap("lang", "de"),
                CallOptions.create().theme("dark")).get(10, TimeUnit.SECONDS));
        String byCode = c.getPdfUrl("invoice");
        assertTrue(byCode.contains("invoice"), byCode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void streams(String ids) throws Exception {
        CxReportsClient c = clients.get(ids);
        byte[] want = c.getPdf(160, sized(500_000), null);
        try (ReportStream s = c.openPdf(160, sized(500_000), null)) {
            assertEquals("application/pdf", s.getContentType());
            assertEquals(want.length, s.getLength());
            assertEquals(want.length, readAll(s).length);
        }
        try (ReportStream s = c.openPostPdf("invoice", null, null)) {
            assertTrue(isPdf(readAll(s)));
        }
        try (ReportStream s = c.openPdfAsync(160, sized(500_000), null).get(10, TimeUnit.SECONDS)) {
            assertEquals(want.length, readAll(s).length);
        }
        try (ReportStream s = c.openPostPdfAsync(160, null, CallOptions.create().workspaceId(1)).get(10,
                TimeUnit.SECONDS)) {
            assertTrue(isPdf(readAll(s)));
        }
        NotFoundException nf = assertThrows(NotFoundException.class, () -> c.openPdf(999999));
        assertEquals(404, nf.getStatus());
        JsonNode start = c.startReportExport(160);
        JsonNode tf = start.get("temporaryFileId");
        assertEquals(ids.equals("guid"), isGuid(tf), start.toString());
        c.waitForExport(tf.asText(), CallOptions.create().pollInterval(Duration.ofMillis(50)));
        try (ReportStream s = tf.isTextual() ? c.openExportContent(tf.asText()) : c.openExportContent(tf.asLong())) {
            assertTrue(isPdf(readAll(s)));
        }
        try (ReportStream s = (tf.isTextual() ? c.openExportContentAsync(tf.asText(), null)
                : c.openExportContentAsync(tf.asLong(), null)).get(10, TimeUnit.SECONDS)) {
            assertTrue(isPdf(readAll(s)));
        }
    }

    private static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] b = new byte[70_000];
        int n;
        while ((n = in.read(b)) > 0) {
            o.write(b, 0, n);
        }
        return o.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void exports(String ids, @TempDir Path dir) throws Exception {
        CxReportsClient c = clients.get(ids);
        JsonNode start = c.startReportExport(160,
                Collections.singletonMap("data", Collections.singletonMap("title", "Quarterly")), null);
        JsonNode tf = start.get("temporaryFileId");
        String tfs = tf.asText();
        List<Progress> waits = Collections.synchronizedList(new ArrayList<>());
        JsonNode status = c.waitForExport(tfs,
                CallOptions.create().pollInterval(Duration.ofMillis(50)).onProgress(waits::add));
        assertTrue(status.path("isReady").asBoolean());
        assertEquals("Completed", status.path("status").asText());
        assertFalse(waits.isEmpty());
        assertEquals("waiting", waits.get(0).getStage());
        assertTrue(c.getExportStatus(tfs).path("isReady").asBoolean());
        assertTrue(c.getExportStatusAsync(tfs, CallOptions.create().workspaceId(1)).get(10, TimeUnit.SECONDS)
                .path("isReady").asBoolean());
        assertTrue(isPdf(c.getExportContent(tfs)));
        assertTrue(isPdf(c.getExportContentAsync(tfs).get(10, TimeUnit.SECONDS)));
        Download saved = c.saveExportContent(tfs, dir.resolve("e.pdf"));
        assertTrue(isPdf(Files.readAllBytes(saved.getPath())));
        if (!tf.isTextual()) { // the long overloads with the id as a number
            assertTrue(c.getExportStatus(tf.asLong()).path("isReady").asBoolean());
            assertTrue(isPdf(c.getExportContent(tf.asLong())));
            assertTrue(c.saveExportContentAsync(tf.asLong(), dir.resolve("f.pdf")).get(10, TimeUnit.SECONDS)
                    .getBytes() > 0);
            assertEquals("Completed", c.waitForExportAsync(tf.asLong()).get(10, TimeUnit.SECONDS)
                    .path("status").asText());
        }

        List<Progress> events = Collections.synchronizedList(new ArrayList<>());
        Download d = c.exportToFile(160, dir.resolve("x.pdf"), null,
                CallOptions.create().pollInterval(Duration.ofMillis(50)).onProgress(events::add));
        assertTrue(isPdf(Files.readAllBytes(d.getPath())));
        assertEquals(ids.equals("guid"), isGuid(d.getTemporaryFileId()), d.toString());
        assertTrue(events.stream().anyMatch(p -> p.getStage().equals("waiting")), events.toString());
        assertEquals("done", events.get(events.size() - 1).getStage());
        assertTrue(c.exportToFileAsync("invoice", dir.resolve("y.pdf")).get(30, TimeUnit.SECONDS).getBytes() > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void temporaryDataAndPreviews(String ids) throws Exception {
        CxReportsClient c = clients.get(ids);
        JsonNode temp = c.pushTemporaryData(Collections.singletonMap("customer", "ACME-77"),
                CallOptions.create().expiryDate("2099-01-01T00:00:00Z"));
        assertTrue(temp.has("tempDataId") && temp.has("expiryDate"), temp.toString());
        assertEquals(ids.equals("guid"), isGuid(temp.get("tempDataId")));
        assertTrue(c.pushTemporaryDataAsync(Collections.singletonList(1)).get(10, TimeUnit.SECONDS)
                .has("tempDataId"));
        assertFalse(c.createAuthToken().path("nonce").asText().isEmpty());
        assertFalse(c.createAuthTokenAsync().get(10, TimeUnit.SECONDS).path("nonce").asText().isEmpty());
        String url = c.getPreviewUrl(160, Collections.singletonMap("lang", "de"),
                CallOptions.create().workspaceId(26));
        assertTrue(url.contains("/ws/26/reports/160/preview") && url.contains("lang=de") && url.contains("nonce="),
                url);
        assertNotEquals(c.getPreviewUrl(160), c.getPreviewUrl("160"));
        String withData = c.getPreviewUrlAsync(160, null,
                CallOptions.create().data(Collections.singletonMap("shown", "x"))).get(10, TimeUnit.SECONDS);
        assertTrue(withData.contains("tempDataId="), withData);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void jobs(String ids) throws Exception {
        CxReportsClient c = clients.get(ids);
        JsonNode run = c.startJobRun(42, Collections.singletonMap("params", Collections.emptyMap()), null);
        JsonNode runId = run.get("jobRunId");
        assertEquals(ids.equals("guid"), isGuid(runId), run.toString());
        CallOptions fast = CallOptions.create().pollInterval(Duration.ofMillis(50));
        JsonNode status;
        if (runId.isTextual()) {
            status = c.waitForJobRun(42, runId.asText(), fast);
            assertTrue(c.getJobRunStatus(42, runId.asText()).path("finished").asBoolean());
            assertTrue(c.getRunReviewDocument("monthly", runId.asText()).has("temporaryFileId"));
            assertNull(c.deliverJobRunEntriesAsync(42, runId.asText()).get(10, TimeUnit.SECONDS));
        } else {
            status = c.waitForJobRun(42, runId.asLong(), fast);
            assertTrue(c.getJobRunStatus(42, runId.asLong()).path("finished").asBoolean());
            assertTrue(c.getRunReviewDocumentAsync(42, runId.asLong()).get(10, TimeUnit.SECONDS)
                    .has("temporaryFileId"));
            c.deliverJobRunEntries(42, runId.asLong());
        }
        assertTrue(status.path("finished").asBoolean());
        assertEquals(1, fakes.get(ids).stats().path("deliveries").path(runId.asText()).asInt());
        JsonNode run2 = c.startJobRunAsync("daily").get(10, TimeUnit.SECONDS);
        String r2 = run2.get("jobRunId").asText();
        assertTrue(c.waitForJobRunAsync("daily", r2, fast).get(30, TimeUnit.SECONDS).path("finished").asBoolean());
        assertTrue(c.getJobRunStatusAsync("43", r2).get(10, TimeUnit.SECONDS).has("finished"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void optionsAMethodDoesNotTakeAreRefused(String ids) {
        CxReportsClient c = clients.get(ids);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> c.getThemes(CallOptions.create().theme("dark")));
        assertTrue(e.getMessage().contains("getThemes does not take the option theme"), e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> c.getWorkspaces(CallOptions.create().onProgress(p -> { })));
        assertTrue(e.getMessage().contains("getWorkspaces reports no progress"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> c.getReportPages((String) null));
        assertThrows(InvalidInputException.class, () -> c.savePdf(160, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "guid"})
    void answersKeepWhatTheServerSent(String ids) throws Exception {
        CxReportsClient c = clients.get(ids);
        Fake f = fakes.get(ids);
        String body = "[{\"id\":\"7d4e1f2a-0000-4000-8000-000000000001\",\"rate\":1.50,\"big\":12345678901234567890,"
                + "\"zeta\":1,\"alpha\":{\"unknown\":[true,null]}}]";
        f.fault("{\"path\":\"/api/v1/ws/" + f.workspaceId + "/themes\",\"faults\":[{\"status\":200,\"body\":"
                + Json.MAPPER.writeValueAsString(body) + ",\"content_type\":\"application/json\"}]}");
        try {
            JsonNode got = c.getThemes();
            assertEquals(body, Json.MAPPER.writeValueAsString(got));
            assertTrue(got.get(0).get("id").isTextual());
        } finally {
            f.clearFaults();
        }
    }
}
