package com.cxreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's CA bundle (PEM text and file) and timeouts against the fake over TLS. */
class TlsTest {
    @Test
    void caBundleFromPemOrFileAndNotWithout(@TempDir Path dir) throws Exception {
        try (Fake fake = new Fake("-tls", "-ids", "guid")) {
            assertTrue(fake.url.startsWith("https://"), fake.url);
            String pem = fake.info.path("ca").asText();
            try (CxReportsClient c = CxReportsClient.builder().baseUrl(fake.url).token(fake.token)
                    .defaultWorkspaceId(fake.workspaceId).caBundlePem(pem).timeout(Duration.ofSeconds(30))
                    .maxRetries(2).retryWaitMin(Duration.ofMillis(10)).retryWaitMax(Duration.ofMillis(50))
                    .maxRetryAfter(Duration.ofSeconds(2)).userAgentSuffix("tls-test").defaultTimezone("UTC")
                    .build()) {
                assertTrue(c.getWorkspaces().isArray());
                assertTrue(c.getPdf(160).length > 5);
            }
            Path ca = dir.resolve("ca.pem");
            Files.write(ca, pem.getBytes(StandardCharsets.US_ASCII));
            try (CxReportsClient c = CxReportsClient.builder().baseUrl(fake.url).token(fake.token).caBundleFile(ca)
                    .build()) {
                assertTrue(c.getThemes(CallOptions.create().workspaceId("main")).isArray());
                InvalidInputException noWs = assertThrows(InvalidInputException.class, c::getThemes);
                assertTrue(noWs.getMessage().contains("set defaultWorkspaceId or pass workspaceId"), noWs.getMessage());
            }
            try (CxReportsClient c = CxReportsClient.builder().baseUrl(fake.url).token(fake.token).maxRetries(-1)
                    .build()) {
                ConnectionException e = assertThrows(ConnectionException.class, c::getWorkspaces);
                assertEquals(0, e.getStatus());
                assertFalse(e.getMessage().contains(fake.token));
            }
            InvalidInputException bad = assertThrows(InvalidInputException.class,
                    () -> CxReportsClient.builder().baseUrl(fake.url).token(fake.token).caBundlePem("not a pem")
                            .build());
            assertTrue(bad.getMessage().contains("caBundlePem"), bad.getMessage());
        }
    }
}
