package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;

/** A file the library wrote (to a temporary file beside it, then renamed into place). */
public final class Download {
    private final JsonNode json;

    Download(JsonNode json) {
        this.json = json;
    }

    public Path getPath() {
        return Paths.get(json.path("path").asText());
    }

    public long getBytes() {
        return json.path("bytes").asLong();
    }

    public String getContentType() {
        return json.path("content_type").asText("");
    }

    /** The file name the server suggested, "" when none. */
    public String getFilename() {
        return json.path("filename").asText("");
    }

    /** exportToFile: the export's temporary file id as the server sent it (number or GUID), else null. */
    public JsonNode getTemporaryFileId() {
        return json.get("temporary_file_id");
    }

    /** The library's description as it sent it. */
    public JsonNode toJson() {
        return json;
    }

    @Override
    public String toString() {
        return "Download" + json;
    }
}
