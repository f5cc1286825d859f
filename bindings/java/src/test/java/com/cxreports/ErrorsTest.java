package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The exception hierarchy, its details, Java names in messages, and never the token. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorsTest {
    private static final String LONG_TOKEN = "tok-0123456789abcdef-secret-java";
    private Fake fake;
    private CxReportsClient client;

    @BeforeAll
    void start() throws Exception {
        fake = new Fake("-ids", "guid", "-token", LONG_TOKEN);
        client = fake.client();
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    private static void noToken(Throwable e) {
        assertFalse(String.valueOf(e.getMessage()).contains(LONG_TOKEN), e.getMessage());
        if (e instanceof CxReportsException) {
            CxReportsException c = (CxReportsException) e;
            assertFalse(c.getServerMessage().contains(LONG_TOKEN));
            assertFalse(c.getUrl().contains(LONG_TOKEN));
        }
    }

    @Test
    void notFoundCarriesStatusServerMessageAndRequestId() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.getPdf(999999));
        assertEquals(404, e.getStatus());
        assertEquals("not_found", e.getCode());
        assertFalse(e.getServerMessage().isEmpty(), e.toString());
        assertEquals("GET", e.getHttpMethod());
        assertTrue(e.getUrl().contains("/reports/999999/"), e.getUrl());
        assertInstanceOf(CxReportsException.class, e);
        noToken(e);
        ExecutionException ee = assertThrows(ExecutionException.class,
                () -> client.getReportPagesAsync(999999).get(10, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class, ee.getCause());
    }

    @Test
    void requestIdIsKept() throws Exception {
        fake.fault("{\"path\":\"/api/v1/workspaces\",\"faults\":[{\"status\":404,\"body\":"
                + "\"{\\\"message\\\":\\\"gone\\\"}\",\"content_type\":\"application/json\"}]}");
        try {
            NotFoundException e = assertThrows(NotFoundException.class, () -> client.getWorkspaces());
            assertEquals(404, e.getStatus());
            noToken(e);
        } finally {
            fake.clearFaults();
        }
        // the fake sends a request id header on its answers; the error keeps it
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.getExportStatus("no-such-export"));
        assertEquals(e.getRequestId(), e.getRequestId().trim());
    }

    @Test
    void unauthenticated() {
        try (CxReportsClient bad = CxReportsClient.builder().baseUrl(fake.url).token("wrong-token-0123456789abcdef")
                .build()) {
            UnauthenticatedException e = assertThrows(UnauthenticatedException.class, bad::getWorkspaces);
            assertEquals(401, e.getStatus());
            assertFalse(e.getMessage().contains("wrong-token-0123456789abcdef"), e.getMessage());
        }
    }

    @Test
    void maxRetriesZeroSendsAFailingGetOnce() throws Exception {
        try (Fake f = Fake.ints(); CxReportsClient c = CxReportsClient.builder().baseUrl(f.url).token(f.token)
                .maxRetries(0).build()) {
            f.fault("{\"path\":\"/api/v1/workspaces\",\"faults\":[{\"status\":503}]}");
            CxReportsException e = assertThrows(CxReportsException.class, c::getWorkspaces);
            assertEquals(503, e.getStatus());
            assertEquals(1, f.stats().get("requests").asInt(), "maxRetries(0) means no retry");
        }
    }

    @Test
    void rateLimitedInvalidResponseAndConnection() throws Exception {
        try (CxReportsClient c = CxReportsClient.builder().baseUrl(fake.url).token(LONG_TOKEN).maxRetries(-1)
                .build()) {
            fake.fault("{\"path\":\"/api/v1/workspaces\",\"faults\":[{\"status\":429,\"retry_after\":\"1\"}]}");
            RateLimitedException r = assertThrows(RateLimitedException.class, c::getWorkspaces);
            assertEquals(429, r.getStatus());
            assertTrue(r.isRetryable());
            fake.clearFaults();
            fake.fault("{\"path\":\"/api/v1/workspaces\",\"faults\":[{\"malformed_json\":true}]}");
            InvalidResponseException ir = assertThrows(InvalidResponseException.class, c::getWorkspaces);
            assertEquals("invalid_response", ir.getCode());
            fake.clearFaults();
            fake.fault("{\"path\":\"/api/v1/workspaces\",\"faults\":[{\"hangup\":true},{\"hangup\":true},{\"hangup\":true},{\"hangup\":true},{\"hangup\":true}]}");
            ConnectionException ce = assertThrows(ConnectionException.class, c::getWorkspaces);
            assertEquals(0, ce.getStatus());
            noToken(ce);
        } finally {
            fake.clearFaults();
        }
    }

    @Test
    void timeout() {
        TimeoutException e = assertThrows(TimeoutException.class, () -> client.getPdf(160,
                java.util.Collections.singletonMap("params", java.util.Collections.singletonMap("fakeDelayMs", 5000)),
                CallOptions.create().timeout(Duration.ofMillis(200))));
        assertEquals("timeout", e.getCode());
    }

    @Test
    void configErrorsUseJavaNames() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CxReportsClient.builder().token(LONG_TOKEN).build());
        assertTrue(e.getMessage().contains("baseUrl"), e.getMessage());
        assertFalse(e.getMessage().contains("base_url"), e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> CxReportsClient.builder().baseUrl("ftp://" + LONG_TOKEN + "@x").token(LONG_TOKEN).build());
        noToken(e);
        e = assertThrows(InvalidInputException.class,
                () -> CxReportsClient.builder().baseUrl(fake.url).build());
        assertTrue(e.getMessage().contains("token"), e.getMessage());
        assertEquals("invalid_config", e.getCode());
    }

    @Test
    void argumentErrorsUseJavaNames() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> client.getPdf("160", "not an object", null));
        assertTrue(e.getMessage().startsWith("getPdf:"), e.getMessage());
        assertTrue(e.getMessage().contains("\"params\""), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> client.pushTemporaryData(null));
        assertTrue(e.getMessage().startsWith("pushTemporaryData:"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> client.postPdf(160, "x", null));
        assertTrue(e.getMessage().contains("\"requestBody\""), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> client.getReports(null, -1, null, null));
        assertTrue(e.getMessage().contains("\"offset\""), e.getMessage());
    }

    @Test
    void ioErrorAndClosedClient(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.write(file, new byte[] {1});
        CxReportsException e = assertThrows(CxReportsException.class,
                () -> client.savePdf(160, file.resolve("under-a-file.pdf")));
        assertEquals("io_error", e.getCode());
        CxReportsClient c = fake.client();
        c.close();
        c.close();
        CanceledException ce = assertThrows(CanceledException.class, c::getWorkspaces);
        assertTrue(ce.getMessage().contains("closed"), ce.getMessage());
    }
}
