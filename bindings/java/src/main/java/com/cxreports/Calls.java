package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Errors in Java terms, and the wait of a synchronous call. */
final class Calls {
    private Calls() {}

    private static final Pattern QUOTED = Pattern.compile("\"([a-z_]+)\"");

    /** The exception for an error envelope; call (may be null) names the method in Java terms. */
    static CxReportsException errorOf(JsonNode envelope, Call<?> call) {
        JsonNode e = envelope.path("error");
        String msg = e.path("message").asText("");
        if (msg.isEmpty()) {
            msg = "cxreports: call failed (" + e.path("code").asText("no error code") + ")";
        }
        if (call != null && msg.startsWith(call.method + ":")) {
            // "get_pdf: argument \"report_id\" ..." -> "getPdf: argument \"reportId\" ..."
            String rest = msg.substring(call.method.length());
            Matcher m = QUOTED.matcher(rest);
            StringBuffer sb = new StringBuffer();
            while (m.find()) {
                String java = Methods.javaArg(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(java == null ? m.group(0) : "\"" + java + "\""));
            }
            m.appendTail(sb);
            msg = call.name + sb;
        }
        return CxReportsException.fromError(e, msg);
    }

    static CanceledException closed(String name) {
        return new CanceledException("cxreports: " + name + ": the client is closed", "canceled", 0, "", "", false,
                "", "");
    }

    static InvalidInputException invalid(String message) {
        return new InvalidInputException("cxreports: " + message, "invalid_argument", 0, "", "", false, "", "");
    }

    /**
     * Waits for a call started on this thread. An interrupt of the waiting thread cancels the
     * call in the library; the call then ends with CanceledException and the thread keeps its
     * interrupt status. The exception is rethrown with this thread's stack trace.
     */
    static <T> T await(CompletableFuture<T> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (f instanceof CxFuture) {
                        ((CxFuture<?>) f).cancelInLibrary();
                    }
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof CxReportsException) {
                        c.fillInStackTrace();
                        throw (CxReportsException) c;
                    }
                    if (c instanceof RuntimeException) {
                        throw (RuntimeException) c;
                    }
                    if (c instanceof Error) {
                        throw (Error) c;
                    }
                    throw new CxReportsException("cxreports: " + c, "internal", 0, "", "", false, "", "", c);
                } catch (CancellationException e) {
                    throw new CanceledException("cxreports: the call was canceled", "canceled", 0, "", "", false,
                            "", "");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
