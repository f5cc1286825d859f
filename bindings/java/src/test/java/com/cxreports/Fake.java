package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * build/cxfake as a process of the test: started with the given flags, its JSON line read,
 * its control API (/_fake/) reached over HTTP, stopped (destroy, then wait) by close().
 * The binary comes from the system property cxfake (surefire sets it) or the env CXFAKE.
 */
final class Fake implements AutoCloseable {
    final Process proc;
    final JsonNode info;
    final String url;
    final String token;
    final long workspaceId;

    static String binary() {
        String p = System.getProperty("cxfake");
        if (p == null || p.isEmpty()) {
            p = System.getenv("CXFAKE");
        }
        if (p == null || p.isEmpty() || !new File(p).canExecute()) {
            throw new IllegalStateException("the fake server is missing: pass -Dcxfake=<path of build/cxfake> "
                    + "or set CXFAKE (make build/cxfake builds it); got " + p);
        }
        return p;
    }

    Fake(String... flags) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.addAll(Arrays.asList(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        proc = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null) {
            proc.destroy();
            throw new IOException("cxfake printed no JSON line: " + cmd);
        }
        info = Json.MAPPER.readTree(line);
        url = info.path("url").asText();
        token = info.path("token").asText();
        workspaceId = info.path("workspace_id").asLong();
    }

    static Fake ints() throws IOException {
        return new Fake();
    }

    static Fake guids() throws IOException {
        return new Fake("-ids", "guid");
    }

    CxReportsClient client() {
        return CxReportsClient.builder().baseUrl(url).token(token).defaultWorkspaceId(workspaceId).build();
    }

    JsonNode control(String method, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url + path).openConnection();
        c.setRequestMethod(method);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream o = c.getOutputStream()) {
                o.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int code = c.getResponseCode();
        try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
            JsonNode n = Json.MAPPER.readTree(in);
            if (code >= 400) {
                throw new IOException("control " + path + ": " + code + " " + n);
            }
            return n;
        }
    }

    JsonNode stats() throws IOException {
        return control("GET", "/_fake/stats", null);
    }

    JsonNode requests() throws IOException {
        return control("GET", "/_fake/requests", null);
    }

    void fault(String json) throws IOException {
        control("POST", "/_fake/faults", json);
    }

    void clearFaults() throws IOException {
        control("DELETE", "/_fake/faults", null);
    }

    @Override
    public void close() throws InterruptedException {
        proc.destroy();
        if (!proc.waitFor(10, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
        }
    }
}
