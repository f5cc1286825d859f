package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.jna.Pointer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One call in flight: its names, what its result becomes, its listener and its future. */
final class Call<T> {
    final String name;
    final String method;
    final Kind kind;
    final CxFuture<T> future = new CxFuture<>();
    private final Consumer<? super Progress> onProgress;
    private final Consumer<JsonNode> onEvent;

    Call(String name, String method, Kind kind, Consumer<? super Progress> onProgress, Consumer<JsonNode> onEvent) {
        this.name = name;
        this.method = method;
        this.kind = kind;
        this.onProgress = onProgress;
        this.onEvent = onEvent;
    }

    boolean wantsProgress() {
        return onProgress != null || onEvent != null;
    }

    /** A progress event, on the inbox thread: a listener that throws is logged, not fatal. */
    void progress(String text, Logger logger) {
        try {
            JsonNode ev = Json.parse(text);
            if (onEvent != null) {
                onEvent.accept(ev);
            }
            if (onProgress != null) {
                onProgress.accept(new Progress(ev));
            }
        } catch (RuntimeException e) {
            logger.log(Level.WARNING, "cxreports: the progress listener of " + name + " threw", e);
        }
    }

    /** The done event, on the inbox thread; data (a binary method's bytes) is freed here. */
    @SuppressWarnings("unchecked")
    void done(String envelope, Pointer data, long len) {
        try {
            JsonNode env = Json.parse(envelope);
            if (!env.path("ok").asBoolean(false)) {
                future.completeExceptionally(Calls.errorOf(env, this));
                return;
            }
            JsonNode d = env.path("data");
            Object r;
            switch (kind) {
                case STRING:
                    r = d.asText();
                    break;
                case BYTES:
                    r = NativeLib.takeBytes(data, len);
                    data = null;
                    break;
                case FILE:
                    r = new Download(d);
                    break;
                case NONE:
                    r = null;
                    break;
                case OPEN:
                    ReportStream rs = new ReportStream(future.requestId, d);
                    if (!future.complete((T) rs)) {
                        rs.close(); // canceled while it opened: nobody will read it
                    }
                    return;
                default:
                    r = d;
            }
            future.complete((T) r);
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        } finally {
            if (data != null) {
                NativeLib.cx().cx_free(data);
            }
        }
    }
}
