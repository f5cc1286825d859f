package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A progress event of a download, a wait or exportToFile: stage "waiting" (status, polls),
 * "downloading" (bytesDone of bytesTotal, -1 when unknown) or "done". Listeners run on the
 * client's event thread: keep them short and never block in them.
 */
public final class Progress {
    private final JsonNode event;

    Progress(JsonNode event) {
        this.event = event;
    }

    public String getStage() {
        return event.path("stage").asText("");
    }

    /** The last status the server reported while waiting ("" when none). */
    public String getStatus() {
        return event.path("status").asText("");
    }

    public long getPolls() {
        return event.path("polls").asLong(0);
    }

    public long getBytesDone() {
        return event.path("bytes_done").asLong(0);
    }

    /** The file's size when known, else -1. */
    public long getBytesTotal() {
        return event.path("bytes_total").asLong(-1);
    }

    /** Seconds since the call started. */
    public double getElapsed() {
        return event.path("elapsed").asDouble(0);
    }

    /** The event as the library sent it. */
    public JsonNode toJson() {
        return event;
    }

    @Override
    public String toString() {
        return event.toString();
    }
}
