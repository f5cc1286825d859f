package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Per-call options: another workspace than the client's default, a timeout for the whole
 * call, and what some methods take besides their parameters (theme and template of the
 * renders, the poll intervals of the waits, a progress listener). A method given an option
 * it does not take fails with InvalidInputException, nothing is sent. Not thread-safe while
 * being built; a built one may be shared.
 */
public final class CallOptions {
    JsonNode workspaceId;
    Duration timeout;
    String theme;
    String template;
    Duration pollInterval;
    Duration maxInterval;
    String expiryDate;
    Object data;
    Consumer<? super Progress> onProgress;

    public static CallOptions create() {
        return new CallOptions();
    }

    /** The workspace of this call, by id. */
    public CallOptions workspaceId(long workspaceId) {
        this.workspaceId = LongNode.valueOf(workspaceId);
        return this;
    }

    /** The workspace of this call, by code (or an id as text, sent as written). */
    public CallOptions workspaceId(String workspaceId) {
        if (workspaceId == null) {
            throw Calls.invalid("workspaceId must not be null");
        }
        this.workspaceId = TextNode.valueOf(workspaceId);
        return this;
    }

    /** Bounds the whole call (all attempts, waits included). */
    public CallOptions timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** getPdf, savePdf, getPdfUrl, openPdf: the theme to render with. */
    public CallOptions theme(String theme) {
        this.theme = theme;
        return this;
    }

    /** getPdf, savePdf, getPdfUrl, openPdf: the template to render with. */
    public CallOptions template(String template) {
        this.template = template;
        return this;
    }

    /** waitForExport, exportToFile, waitForJobRun: the first poll interval. */
    public CallOptions pollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
        return this;
    }

    /** waitForExport, exportToFile, waitForJobRun: the longest poll interval. */
    public CallOptions maxInterval(Duration maxInterval) {
        this.maxInterval = maxInterval;
        return this;
    }

    /** pushTemporaryData: when the data expires (ISO 8601). */
    public CallOptions expiryDate(String expiryDate) {
        this.expiryDate = expiryDate;
        return this;
    }

    /** getPreviewUrl: data pushed first as temporary data, its id set in the URL. */
    public CallOptions data(Object data) {
        this.data = data;
        return this;
    }

    /** Downloads, waits and exportToFile: progress events, on the client's event thread. */
    public CallOptions onProgress(Consumer<? super Progress> onProgress) {
        this.onProgress = onProgress;
        return this;
    }

    /** Adds the options to args in the table's order, refusing those name does not take. */
    void apply(String name, ObjectNode args, boolean progress, String... accepted) {
        put(name, args, "theme", theme == null ? null : TextNode.valueOf(theme), accepted);
        put(name, args, "template", template == null ? null : TextNode.valueOf(template), accepted);
        put(name, args, "expiryDate", expiryDate == null ? null : TextNode.valueOf(expiryDate), accepted);
        put(name, args, "data", data == null ? null : Json.tree("data", data), accepted);
        put(name, args, "workspaceId", workspaceId, accepted);
        put(name, args, "timeout", seconds("timeout", timeout), "timeout");
        put(name, args, "pollInterval", seconds("pollInterval", pollInterval), accepted);
        put(name, args, "maxInterval", seconds("maxInterval", maxInterval), accepted);
        if (onProgress != null && !progress) {
            throw Calls.invalid(name + " reports no progress: onProgress is for the downloads, the waits and "
                    + "exportToFile");
        }
    }

    private static void put(String name, ObjectNode args, String option, JsonNode value, String... accepted) {
        if (value == null) {
            return;
        }
        for (String a : accepted) {
            if (a.equals(option)) {
                args.set(Methods.cArg(option), value);
                return;
            }
        }
        throw Calls.invalid(name + " does not take the option " + option);
    }

    static JsonNode seconds(String what, Duration d) {
        if (d == null) {
            return null;
        }
        if (d.isNegative()) {
            throw Calls.invalid(what + " must not be negative, got " + d);
        }
        return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(d.getSeconds() + d.getNano() / 1e9);
    }
}
