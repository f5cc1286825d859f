package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;

/** One finished item of renderBatch, in the order items finish. */
public final class BatchResult {
    private final JsonNode event;
    private final CxReportsException error;

    BatchResult(JsonNode event) {
        this.event = event;
        JsonNode e = event.get("error");
        this.error = e == null || e.isNull() ? null
                : CxReportsException.fromError(e, e.path("message").asText("cxreports: the item failed"));
    }

    /** The item's index in the list given to renderBatch. */
    public int getIndex() {
        return event.path("index").asInt();
    }

    public Path getOutput() {
        return Paths.get(event.path("output").asText());
    }

    /** "ok", "skipped" (the output existed) or "failed". */
    public String getStatus() {
        return event.path("status").asText();
    }

    public boolean isOk() {
        return "ok".equals(getStatus());
    }

    public long getBytes() {
        return event.path("bytes").asLong();
    }

    /** Why the item failed, null unless it did. */
    public CxReportsException getError() {
        return error;
    }

    public JsonNode toJson() {
        return event;
    }

    @Override
    public String toString() {
        return event.toString();
    }
}
