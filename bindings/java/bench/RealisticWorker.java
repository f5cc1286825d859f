import com.cxreports.CxReportsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One Java cell of `make bench-realistic` (scripts/bench_realistic.py), in a fresh JVM so
 * that its peak RSS and the connections the fake counts belong to this client alone:
 *
 * <pre>build/java-bench/run &lt;binding|httpclient&gt; &lt;small|concurrent|render|big&gt; &lt;outfile&gt;</pre>
 *
 * Reads CXREPORTS_URL, CXREPORTS_TOKEN, CXREPORTS_CA (empty = plain HTTP) and BENCH_PARAMS
 * (the render params as JSON); prints one JSON line, as the Python and Node workers do.
 * "binding" is com.cxreports (this repository's jar, its bundled library); "httpclient"
 * is the careful hand-written alternative: one java.net.http.HttpClient for the whole run
 * (kept-alive connections, HTTP/2 when the fake offers it over TLS, HTTP/1.1 otherwise),
 * trusting only the fake's CA, JSON parsed with Jackson like ours, big files streamed to
 * disk with BodyHandlers.ofFile.
 */
public final class RealisticWorker {
    static final int SMALL_CALLS = 100;
    static final int WORKERS = 8;
    static final int PER_WORKER = 50;
    static final int RENDERS = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    /** The three things a workload does; both clients implement them. */
    interface Client extends AutoCloseable {
        JsonNode small() throws Exception;

        byte[] pdf(ObjectNode params) throws Exception;

        void save(ObjectNode params, Path out) throws Exception;

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("version")) {
            // For the header of the bench's table.
            System.out.println(System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
            return;
        }
        String variant = args[0];
        String workload = args[1];
        Path out = Paths.get(args[2]);
        String base = System.getenv("CXREPORTS_URL");
        String token = System.getenv("CXREPORTS_TOKEN");
        String ca = System.getenv().getOrDefault("CXREPORTS_CA", "");
        ObjectNode params = (ObjectNode) JSON.readTree(System.getenv().getOrDefault("BENCH_PARAMS", "{}"));
        Client c = variant.equals("binding") ? binding(base, token, ca)
                : variant.equals("httpclient") ? httpClient(base, token, ca) : null;
        if (c == null) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("variant", variant).put("workload", workload);
        // No warm-up: connection set-up (TCP, TLS) is part of what each workload costs.
        long t0 = System.nanoTime();
        switch (workload) {
            case "small":
                for (int i = 0; i < SMALL_CALLS; i++) {
                    c.small();
                }
                result.put("calls", SMALL_CALLS);
                break;
            case "concurrent": {
                ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < PER_WORKER; i++) {
                            c.small();
                        }
                        return null;
                    }));
                }
                try {
                    for (Future<?> f : done) {
                        f.get();
                    }
                } catch (ExecutionException e) {
                    throw (Exception) e.getCause();
                } finally {
                    pool.shutdown();
                }
                result.put("calls", WORKERS * PER_WORKER);
                break;
            }
            case "render": {
                int want = params.path("fakeSizeBytes").asInt();
                for (int i = 0; i < RENDERS; i++) {
                    byte[] pdf = c.pdf(params);
                    if (pdf.length < want) {
                        throw new IllegalStateException("short PDF: " + pdf.length + " bytes");
                    }
                }
                result.put("calls", RENDERS);
                break;
            }
            case "big":
                c.save(params, out);
                result.put("calls", 1);
                result.put("bytes", Files.size(out));
                Files.delete(out);
                break;
            default:
                throw new IllegalArgumentException("unknown workload " + workload);
        }
        result.put("wall_s", (System.nanoTime() - t0) / 1e9);
        c.close();
        result.put("peak_rss_mb", peakRssKiB() / 1024.0);
        System.out.println(result);
        // The binding's library threads and HttpClient's selector are not daemon-free
        // promises; the result is out, so end the JVM here.
        System.exit(0);
    }

    static Client binding(String base, String token, String ca) {
        CxReportsClient.Builder b = CxReportsClient.builder().baseUrl(base).token(token).defaultWorkspaceId(1);
        if (!ca.isEmpty()) {
            b.caBundleFile(Paths.get(ca));
        }
        CxReportsClient c = b.build();
        return new Client() {
            public JsonNode small() {
                return c.getWorkspaces();
            }

            // The query of get_pdf as the C table has it: {"params": {...}, ...}.
            public byte[] pdf(ObjectNode params) {
                return c.getPdf(160, query(params), null);
            }

            public void save(ObjectNode params, Path out) {
                c.savePdf(160, out, query(params), null);
            }

            public void close() {
                c.close();
            }
        };
    }

    static ObjectNode query(ObjectNode params) {
        ObjectNode q = JSON.createObjectNode();
        q.set("params", params);
        return q;
    }

    static Client httpClient(String base, String token, String ca) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30));
        // HTTP/2 is what HttpClient negotiates with the fake over TLS; BENCH_JAVA_HTTP=1.1
        // pins HTTP/1.1 instead, to see which of the two the comparison should fear more.
        if ("1.1".equals(System.getenv("BENCH_JAVA_HTTP"))) {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        if (!ca.isEmpty()) {
            b.sslContext(trusting(Paths.get(ca)));
        }
        HttpClient http = b.build();
        String auth = "Bearer " + token;
        return new Client() {
            HttpRequest get(String url) {
                return HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build();
            }

            <T> HttpResponse<T> send(String url, HttpResponse.BodyHandler<T> body) throws Exception {
                HttpResponse<T> r = http.send(get(url), body);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + url + ": HTTP " + r.statusCode());
                }
                return r;
            }

            public JsonNode small() throws Exception {
                return JSON.readTree(send(base + "/api/v1/workspaces", HttpResponse.BodyHandlers.ofByteArray()).body());
            }

            public byte[] pdf(ObjectNode params) throws Exception {
                HttpResponse<byte[]> r = send(pdfUrl(base, params), HttpResponse.BodyHandlers.ofByteArray());
                if (!r.headers().firstValue("Content-Type").orElse("").contains("application/pdf")) {
                    throw new IllegalStateException("not a PDF");
                }
                return r.body();
            }

            public void save(ObjectNode params, Path out) throws Exception {
                send(pdfUrl(base, params), HttpResponse.BodyHandlers.ofFile(out));
            }

            public void close() {
                // HttpClient has no close() before Java 21; its connections go with the JVM.
            }
        };
    }

    /** The query get_pdf sends: params as base64url of the JSON text, padding kept, '=' as %3D. */
    static String pdfUrl(String base, ObjectNode params) throws Exception {
        String encoded = Base64.getUrlEncoder().encodeToString(JSON.writeValueAsBytes(params));
        return base + "/api/v1/ws/1/reports/160/pdf?params=" + URLEncoder.encode(encoded, "UTF-8");
    }

    /** An SSLContext that trusts the certificates of one PEM file and nothing else. */
    static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Peak resident set size (VmHWM) of this JVM, in KiB. */
    static long peakRssKiB() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/self/status");
    }
}
