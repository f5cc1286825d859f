package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * One render of renderBatch: a report (id or type code) to an output file, with optional
 * params, data, format, theme, template and workspace. renderBatch also takes Maps or
 * JsonNodes of the same members.
 */
public final class BatchItem {
    private final ObjectNode json = Json.object();

    private BatchItem(JsonNode report, String output) {
        if (output == null || output.isEmpty()) {
            throw Calls.invalid("BatchItem: output must be a non-empty path");
        }
        json.set("report", report);
        json.put("output", output);
    }

    public static BatchItem of(long reportId, String output) {
        return new BatchItem(LongNode.valueOf(reportId), output);
    }

    public static BatchItem of(String report, String output) {
        if (report == null) {
            throw Calls.invalid("BatchItem: report must not be null");
        }
        return new BatchItem(TextNode.valueOf(report), output);
    }

    public BatchItem params(Object params) {
        json.set("params", Json.tree("params", params));
        return this;
    }

    public BatchItem data(Object data) {
        json.set("data", Json.tree("data", data));
        return this;
    }

    public BatchItem format(String format) {
        json.put("format", format);
        return this;
    }

    public BatchItem theme(String theme) {
        json.put("theme", theme);
        return this;
    }

    public BatchItem template(String template) {
        json.put("template", template);
        return this;
    }

    public BatchItem workspace(long workspaceId) {
        json.put("workspace", workspaceId);
        return this;
    }

    public BatchItem workspace(String workspace) {
        json.put("workspace", workspace);
        return this;
    }

    JsonNode toJson() {
        return json;
    }
}
