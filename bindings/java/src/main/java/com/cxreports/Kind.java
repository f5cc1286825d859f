package com.cxreports;

/** What a method's envelope data becomes in Java (the table's "kind"). */
enum Kind {
    /** the server's JSON, as a JsonNode */
    JSON,
    /** a JSON string, as a String */
    STRING,
    /** the file's bytes, as byte[] */
    BYTES,
    /** a file written by the library, as a Download */
    FILE,
    /** nothing: void */
    NONE,
    /** render_batch: item events, then the summary as a JsonNode */
    STREAM,
    /** a download opened as a stream (cx_inbox_stream_open), as a ReportStream */
    OPEN
}
