package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The CxReports v1 client: every method of the library's table under its camelCase name,
 * each synchronous and as xxxAsync returning a CompletableFuture, ids as long or String
 * (codes, GUIDs: sent as written), a per-call workspace through {@link CallOptions}.
 * JSON results are the server's JSON as it sent it ({@link JsonNode}).
 *
 * Thread-safe: one client may be shared by any number of threads; calls run concurrently.
 * close() cancels the calls in flight and frees the native handle; a client dropped without
 * close() is freed when garbage-collected. A synchronous call whose thread is interrupted
 * is canceled and throws {@link CanceledException}; cancel(true) on a future cancels its call.
 */
public final class CxReportsClient implements AutoCloseable {
    // The per-call options each group of methods takes (CallOptions; timeout always).
    private static final String[] NONE_OPTS = {};
    private static final String[] WS = {"workspaceId"};
    private static final String[] RENDER = {"workspaceId", "theme", "template"};
    private static final String[] WAIT = {"workspaceId", "pollInterval", "maxInterval"};
    private static final String[] PUSH = {"workspaceId", "expiryDate"};
    private static final String[] PREVIEW = {"workspaceId", "data"};

    /** What close() and the Cleaner run: it must not refer to the client. */
    private static final class State implements Runnable {
        final long handle;
        final Inbox inbox;

        State(long handle, Inbox inbox) {
            this.handle = handle;
            this.inbox = inbox;
        }

        @Override
        public void run() {
            inbox.close(); // cancels the calls in flight and frees the adopted handle
            NativeLib.take(NativeLib.cx().cx_client_free(handle)); // "invalid_handle" once freed: fine
        }
    }

    private final State state;
    private final Cleanup.Handle cleanup;
    private volatile boolean closed;

    private CxReportsClient(State state) {
        this.state = state;
        this.cleanup = Cleanup.register(this, state);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The loaded library's {"version","abi","go"}. */
    public static JsonNode libraryVersion() {
        return Json.parse(NativeLib.take(NativeLib.cx().cx_version()));
    }

    /** Cancels the calls in flight (they end with CanceledException) and frees the native handle. Idempotent. */
    @Override
    public void close() {
        closed = true;
        cleanup.run();
    }

    /** The native handle, for the tests of GC and close. */
    long handle() {
        return state.handle;
    }

    // Set while a synchronous method builds its call: run() then takes the direct path.
    private static final ThreadLocal<Boolean> SYNC = new ThreadLocal<>();

    /** A synchronous call: the Async method's arguments, run by DirectCall where it can. */
    private static <T> T sync(java.util.function.Supplier<CompletableFuture<T>> async) {
        SYNC.set(Boolean.TRUE);
        CompletableFuture<T> f;
        try {
            f = async.get();
        } finally {
            SYNC.remove();
        }
        return Calls.await(f);
    }

    private <T> CompletableFuture<T> run(String name, ObjectNode args, CallOptions options, String[] accepted) {
        Methods.Spec s = Methods.spec(name);
        if (options != null) {
            options.apply(name, args, s.progress, accepted);
        }
        Call<T> c = new Call<>(name, s.method, s.kind, options == null ? null : options.onProgress, null);
        // A sync call reports progress only through the inbox (cx_call reports none), and
        // one on the inbox thread itself goes there too (see Inbox.pumpUntil).
        if (SYNC.get() != null && !c.wantsProgress() && !state.inbox.isReader()) {
            if (closed) {
                c.future.completeExceptionally(Calls.closed(c.name));
            } else {
                DirectCall.run(state.handle, c, args);
            }
            return c.future;
        }
        start(c, args);
        return c.future;
    }

    private void start(Call<?> c, ObjectNode args) {
        if (closed) {
            c.future.completeExceptionally(Calls.closed(c.name));
            return;
        }
        state.inbox.start(state.handle, c, Json.write(args));
    }

    private static JsonNode id(String name, long v) {
        return LongNode.valueOf(v);
    }

    private static JsonNode id(String name, String v) {
        if (v == null) {
            throw Calls.invalid(name + " must not be null");
        }
        return TextNode.valueOf(v);
    }

    private static String path(String name, Path p) {
        if (p == null) {
            throw Calls.invalid(name + " must not be null (the file to write)");
        }
        return p.toAbsolutePath().toString();
    }

    private static void putJson(ObjectNode a, String c, String name, Object v) {
        if (v != null) {
            a.set(c, Json.tree(name, v));
        }
    }

    // getReports: Lists the reports of a workspace, optionally of one type.
    /** Lists the reports of the default workspace. */
    public JsonNode getReports() {
        return sync(() -> getReportsAsync());
    }

    /** Lists the reports of one type (null: all). */
    public JsonNode getReports(String type) {
        return sync(() -> getReportsAsync(type));
    }

    /** Lists the reports of one type (null: all), from offset (null: 0), at most limit (null: the server's). */
    public JsonNode getReports(String type, Integer offset, Integer limit, CallOptions options) {
        return sync(() -> getReportsAsync(type, offset, limit, options));
    }

    public CompletableFuture<JsonNode> getReportsAsync() {
        return getReportsAsync(null, null, null, null);
    }

    public CompletableFuture<JsonNode> getReportsAsync(String type) {
        return getReportsAsync(type, null, null, null);
    }

    public CompletableFuture<JsonNode> getReportsAsync(String type, Integer offset, Integer limit,
            CallOptions options) {
        ObjectNode a = Json.object();
        if (type != null) {
            a.put("type", type);
        }
        if (offset != null) {
            a.put("offset", offset);
        }
        if (limit != null) {
            a.put("limit", limit);
        }
        return run("getReports", a, options, WS);
    }

    // The downloads as InputStreams (cx_stream_*): read at the caller's pace, flat memory.

    /** Opens a report's PDF (GET) as a stream; close it (try-with-resources). */
    public ReportStream openPdf(long reportId) {
        return openPdf(reportId, null, null);
    }

    public ReportStream openPdf(String reportId) {
        return openPdf(reportId, null, null);
    }

    public ReportStream openPdf(long reportId, Object params, CallOptions options) {
        return openPdfWith(id("reportId", reportId), params, options);
    }

    public ReportStream openPdf(String reportId, Object params, CallOptions options) {
        return openPdfWith(id("reportId", reportId), params, options);
    }

    private ReportStream openPdfWith(JsonNode reportId, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", reportId);
        putJson(a, "params", "params", params);
        return open("openPdf", "get_pdf", a, options, RENDER);
    }

    /** Opens a render with a JSON body (POST) as a stream. */
    public ReportStream openPostPdf(long reportId, Object requestBody, CallOptions options) {
        return openPostPdfWith(id("reportId", reportId), requestBody, options);
    }

    public ReportStream openPostPdf(String reportId, Object requestBody, CallOptions options) {
        return openPostPdfWith(id("reportId", reportId), requestBody, options);
    }

    private ReportStream openPostPdfWith(JsonNode reportId, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", reportId);
        putJson(a, "request_body", "requestBody", requestBody);
        return open("openPostPdf", "post_pdf", a, options, WS);
    }

    /** Opens the file of a finished export as a stream. */
    public ReportStream openExportContent(long tempFileId) {
        return openExportContent(tempFileId, null);
    }

    public ReportStream openExportContent(String tempFileId) {
        return openExportContent(tempFileId, null);
    }

    public ReportStream openExportContent(long tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return open("openExportContent", "get_export_content", a, options, WS);
    }

    public ReportStream openExportContent(String tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return open("openExportContent", "get_export_content", a, options, WS);
    }

    private ReportStream open(String name, String method, ObjectNode a, CallOptions options, String[] accepted) {
        return Calls.await(openAsync(name, method, a, options, accepted));
    }

    /**
     * Opens the stream through the inbox: the request and its first bytes arrive on a library
     * thread, the future completes with the stream; cancel(true) cancels the opening, and a
     * stream that opens after its future was canceled is closed.
     */
    private CompletableFuture<ReportStream> openAsync(String name, String method, ObjectNode a, CallOptions options,
            String[] accepted) {
        if (options != null) {
            options.apply(name, a, false, accepted);
        }
        Call<ReportStream> c = new Call<>(name, method, Kind.OPEN, null, null);
        start(c, a);
        return c.future;
    }

    public CompletableFuture<ReportStream> openPdfAsync(long reportId, Object params, CallOptions options) {
        return openPdfAsyncWith(id("reportId", reportId), params, options);
    }

    public CompletableFuture<ReportStream> openPdfAsync(String reportId, Object params, CallOptions options) {
        return openPdfAsyncWith(id("reportId", reportId), params, options);
    }

    private CompletableFuture<ReportStream> openPdfAsyncWith(JsonNode reportId, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", reportId);
        putJson(a, "params", "params", params);
        return openAsync("openPdf", "get_pdf", a, options, RENDER);
    }

    public CompletableFuture<ReportStream> openPostPdfAsync(long reportId, Object requestBody, CallOptions options) {
        return openPostPdfAsyncWith(id("reportId", reportId), requestBody, options);
    }

    public CompletableFuture<ReportStream> openPostPdfAsync(String reportId, Object requestBody,
            CallOptions options) {
        return openPostPdfAsyncWith(id("reportId", reportId), requestBody, options);
    }

    private CompletableFuture<ReportStream> openPostPdfAsyncWith(JsonNode reportId, Object requestBody,
            CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", reportId);
        putJson(a, "request_body", "requestBody", requestBody);
        return openAsync("openPostPdf", "post_pdf", a, options, WS);
    }

    public CompletableFuture<ReportStream> openExportContentAsync(long tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return openAsync("openExportContent", "get_export_content", a, options, WS);
    }

    public CompletableFuture<ReportStream> openExportContentAsync(String tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return openAsync("openExportContent", "get_export_content", a, options, WS);
    }

    // renderBatch: renders many reports (POST) to files, atomically, resumable.

    /**
     * Renders items (BatchItem, or Maps/JsonNodes of {report, output, params, data, format,
     * theme, template, workspace}) and streams each item's result as it finishes. Close the
     * stream (try-with-resources) to cancel what is still running: renders in flight are
     * abandoned and no partial file is left. A failed item is a BatchResult with getError();
     * a failure of the whole batch is thrown by the stream.
     */
    public Stream<BatchResult> renderBatch(Collection<?> items) {
        return renderBatch(items, null);
    }

    public Stream<BatchResult> renderBatch(Collection<?> items, BatchOptions options) {
        BatchIterator it = new BatchIterator();
        Call<JsonNode> c = new Call<>("renderBatch", "render_batch", Kind.STREAM, null, it::event);
        c.future.whenComplete((r, e) -> it.finish(e));
        start(c, batchArgs(items, options));
        it.future = c.future;
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(it::cancel);
    }

    /** The whole batch as one future: the library's summary {ok, failed, skipped, ..., results}. */
    public CompletableFuture<JsonNode> renderBatchAsync(Collection<?> items, BatchOptions options) {
        Call<JsonNode> c = new Call<>("renderBatch", "render_batch", Kind.STREAM,
                options == null ? null : options.onProgress, null);
        start(c, batchArgs(items, options));
        return c.future;
    }

    private static ObjectNode batchArgs(Collection<?> items, BatchOptions options) {
        if (items == null) {
            throw Calls.invalid("renderBatch: items must not be null");
        }
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (Object o : items) {
            if (o == null) {
                throw Calls.invalid("renderBatch: items must not hold null");
            }
            arr.add(o instanceof BatchItem ? ((BatchItem) o).toJson() : Json.tree("renderBatch item", o));
        }
        ObjectNode a = Json.object();
        a.set("items", arr);
        if (options != null) {
            options.apply(a);
        }
        return a;
    }

    /** The item events of one batch, handed from the inbox thread to the consuming thread. */
    private static final class BatchIterator implements Iterator<BatchResult> {
        private static final Object END = new Object();
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        volatile CxFuture<JsonNode> future;
        private Object next;
        private boolean ended;

        void event(JsonNode ev) {
            if ("item".equals(ev.path("stage").asText())) {
                queue.add(new BatchResult(ev));
            }
        }

        void finish(Throwable e) {
            queue.add(e == null ? END : e);
        }

        void cancel() {
            CxFuture<JsonNode> f = future;
            if (f != null && !f.isDone()) {
                f.cancelInLibrary();
            }
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                cancel();
                Thread.currentThread().interrupt();
                throw new CanceledException("cxreports: renderBatch: interrupted; the batch is canceled", "canceled",
                        0, "", "", false, "", "");
            }
            if (o == END) {
                ended = true;
                return false;
            }
            if (o instanceof Throwable) {
                ended = true;
                Throwable t = (Throwable) o;
                if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
                    t = t.getCause();
                }
                if (t instanceof RuntimeException) {
                    t.fillInStackTrace();
                    throw (RuntimeException) t;
                }
                throw new CxReportsException("cxreports: renderBatch: " + t, "internal", 0, "", "", false, "", "", t);
            }
            next = o;
            return true;
        }

        @Override
        public BatchResult next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            BatchResult r = (BatchResult) next;
            next = null;
            return r;
        }
    }

    // getWorkspaces: Lists the workspaces the token can see.
    /** Lists the workspaces the token can see. */
    public JsonNode getWorkspaces() {
        return sync(() -> getWorkspacesAsync());
    }

    /** Lists the workspaces the token can see. */
    public JsonNode getWorkspaces(CallOptions options) {
        return sync(() -> getWorkspacesAsync(options));
    }

    public CompletableFuture<JsonNode> getWorkspacesAsync() {
        return getWorkspacesAsync(null);
    }

    public CompletableFuture<JsonNode> getWorkspacesAsync(CallOptions options) {
        ObjectNode a = Json.object();
        return run("getWorkspaces", a, options, NONE_OPTS);
    }

    // getReportTypes: Lists the report types of a workspace.
    /** Lists the report types of a workspace. */
    public JsonNode getReportTypes() {
        return sync(() -> getReportTypesAsync());
    }

    /** Lists the report types of a workspace. */
    public JsonNode getReportTypes(CallOptions options) {
        return sync(() -> getReportTypesAsync(options));
    }

    public CompletableFuture<JsonNode> getReportTypesAsync() {
        return getReportTypesAsync(null);
    }

    public CompletableFuture<JsonNode> getReportTypesAsync(CallOptions options) {
        ObjectNode a = Json.object();
        return run("getReportTypes", a, options, WS);
    }

    // getThemes: Lists the themes of a workspace.
    /** Lists the themes of a workspace. */
    public JsonNode getThemes() {
        return sync(() -> getThemesAsync());
    }

    /** Lists the themes of a workspace. */
    public JsonNode getThemes(CallOptions options) {
        return sync(() -> getThemesAsync(options));
    }

    public CompletableFuture<JsonNode> getThemesAsync() {
        return getThemesAsync(null);
    }

    public CompletableFuture<JsonNode> getThemesAsync(CallOptions options) {
        ObjectNode a = Json.object();
        return run("getThemes", a, options, WS);
    }

    // getTemplates: Lists the report templates of a workspace.
    /** Lists the report templates of a workspace. */
    public JsonNode getTemplates() {
        return sync(() -> getTemplatesAsync());
    }

    /** Lists the report templates of a workspace. */
    public JsonNode getTemplates(CallOptions options) {
        return sync(() -> getTemplatesAsync(options));
    }

    public CompletableFuture<JsonNode> getTemplatesAsync() {
        return getTemplatesAsync(null);
    }

    public CompletableFuture<JsonNode> getTemplatesAsync(CallOptions options) {
        ObjectNode a = Json.object();
        return run("getTemplates", a, options, WS);
    }

    // getJobs: Lists the jobs of a workspace.
    /** Lists the jobs of a workspace. */
    public JsonNode getJobs() {
        return sync(() -> getJobsAsync());
    }

    /** Lists the jobs of a workspace. */
    public JsonNode getJobs(CallOptions options) {
        return sync(() -> getJobsAsync(options));
    }

    public CompletableFuture<JsonNode> getJobsAsync() {
        return getJobsAsync(null);
    }

    public CompletableFuture<JsonNode> getJobsAsync(CallOptions options) {
        ObjectNode a = Json.object();
        return run("getJobs", a, options, WS);
    }

    // getReportPages: Lists the pages of a report.
    /** Lists the pages of a report. */
    public JsonNode getReportPages(long reportId) {
        return sync(() -> getReportPagesAsync(reportId));
    }

    /** Lists the pages of a report. */
    public JsonNode getReportPages(long reportId, CallOptions options) {
        return sync(() -> getReportPagesAsync(reportId, options));
    }

    public CompletableFuture<JsonNode> getReportPagesAsync(long reportId) {
        return getReportPagesAsync(reportId, null);
    }

    public CompletableFuture<JsonNode> getReportPagesAsync(long reportId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        return run("getReportPages", a, options, WS);
    }

    /** Lists the pages of a report. */
    public JsonNode getReportPages(String reportId) {
        return sync(() -> getReportPagesAsync(reportId));
    }

    /** Lists the pages of a report. */
    public JsonNode getReportPages(String reportId, CallOptions options) {
        return sync(() -> getReportPagesAsync(reportId, options));
    }

    public CompletableFuture<JsonNode> getReportPagesAsync(String reportId) {
        return getReportPagesAsync(reportId, null);
    }

    public CompletableFuture<JsonNode> getReportPagesAsync(String reportId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        return run("getReportPages", a, options, WS);
    }

    // getPdf: Renders a report to PDF with GET; the whole file in memory (see savePdf and openPdf for big files).
    /** Renders a report to PDF with GET; the whole file in memory (see savePdf and openPdf for big files). */
    public byte[] getPdf(long reportId) {
        return sync(() -> getPdfAsync(reportId));
    }

    /** Renders a report to PDF with GET; the whole file in memory (see savePdf and openPdf for big files). */
    public byte[] getPdf(long reportId, Object params, CallOptions options) {
        return sync(() -> getPdfAsync(reportId, params, options));
    }

    public CompletableFuture<byte[]> getPdfAsync(long reportId) {
        return getPdfAsync(reportId, null, null);
    }

    public CompletableFuture<byte[]> getPdfAsync(long reportId, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "params", "params", params);
        return run("getPdf", a, options, RENDER);
    }

    /** Renders a report to PDF with GET; the whole file in memory (see savePdf and openPdf for big files). */
    public byte[] getPdf(String reportId) {
        return sync(() -> getPdfAsync(reportId));
    }

    /** Renders a report to PDF with GET; the whole file in memory (see savePdf and openPdf for big files). */
    public byte[] getPdf(String reportId, Object params, CallOptions options) {
        return sync(() -> getPdfAsync(reportId, params, options));
    }

    public CompletableFuture<byte[]> getPdfAsync(String reportId) {
        return getPdfAsync(reportId, null, null);
    }

    public CompletableFuture<byte[]> getPdfAsync(String reportId, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "params", "params", params);
        return run("getPdf", a, options, RENDER);
    }

    // postPdf: Renders a report to PDF (or another format) with a JSON body.
    /** Renders a report to PDF (or another format) with a JSON body. */
    public byte[] postPdf(long reportId) {
        return sync(() -> postPdfAsync(reportId));
    }

    /** Renders a report to PDF (or another format) with a JSON body. */
    public byte[] postPdf(long reportId, Object requestBody, CallOptions options) {
        return sync(() -> postPdfAsync(reportId, requestBody, options));
    }

    public CompletableFuture<byte[]> postPdfAsync(long reportId) {
        return postPdfAsync(reportId, null, null);
    }

    public CompletableFuture<byte[]> postPdfAsync(long reportId, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("postPdf", a, options, WS);
    }

    /** Renders a report to PDF (or another format) with a JSON body. */
    public byte[] postPdf(String reportId) {
        return sync(() -> postPdfAsync(reportId));
    }

    /** Renders a report to PDF (or another format) with a JSON body. */
    public byte[] postPdf(String reportId, Object requestBody, CallOptions options) {
        return sync(() -> postPdfAsync(reportId, requestBody, options));
    }

    public CompletableFuture<byte[]> postPdfAsync(String reportId) {
        return postPdfAsync(reportId, null, null);
    }

    public CompletableFuture<byte[]> postPdfAsync(String reportId, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("postPdf", a, options, WS);
    }

    // startReportExport: Starts an asynchronous export: {temporaryFileId}.
    /** Starts an asynchronous export: {temporaryFileId}. */
    public JsonNode startReportExport(long reportId) {
        return sync(() -> startReportExportAsync(reportId));
    }

    /** Starts an asynchronous export: {temporaryFileId}. */
    public JsonNode startReportExport(long reportId, Object requestBody, CallOptions options) {
        return sync(() -> startReportExportAsync(reportId, requestBody, options));
    }

    public CompletableFuture<JsonNode> startReportExportAsync(long reportId) {
        return startReportExportAsync(reportId, null, null);
    }

    public CompletableFuture<JsonNode> startReportExportAsync(long reportId, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("startReportExport", a, options, WS);
    }

    /** Starts an asynchronous export: {temporaryFileId}. */
    public JsonNode startReportExport(String reportId) {
        return sync(() -> startReportExportAsync(reportId));
    }

    /** Starts an asynchronous export: {temporaryFileId}. */
    public JsonNode startReportExport(String reportId, Object requestBody, CallOptions options) {
        return sync(() -> startReportExportAsync(reportId, requestBody, options));
    }

    public CompletableFuture<JsonNode> startReportExportAsync(String reportId) {
        return startReportExportAsync(reportId, null, null);
    }

    public CompletableFuture<JsonNode> startReportExportAsync(String reportId, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("startReportExport", a, options, WS);
    }

    // getExportStatus: Reads the status of an export.
    /** Reads the status of an export. */
    public JsonNode getExportStatus(long tempFileId) {
        return sync(() -> getExportStatusAsync(tempFileId));
    }

    /** Reads the status of an export. */
    public JsonNode getExportStatus(long tempFileId, CallOptions options) {
        return sync(() -> getExportStatusAsync(tempFileId, options));
    }

    public CompletableFuture<JsonNode> getExportStatusAsync(long tempFileId) {
        return getExportStatusAsync(tempFileId, null);
    }

    public CompletableFuture<JsonNode> getExportStatusAsync(long tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return run("getExportStatus", a, options, WS);
    }

    /** Reads the status of an export. */
    public JsonNode getExportStatus(String tempFileId) {
        return sync(() -> getExportStatusAsync(tempFileId));
    }

    /** Reads the status of an export. */
    public JsonNode getExportStatus(String tempFileId, CallOptions options) {
        return sync(() -> getExportStatusAsync(tempFileId, options));
    }

    public CompletableFuture<JsonNode> getExportStatusAsync(String tempFileId) {
        return getExportStatusAsync(tempFileId, null);
    }

    public CompletableFuture<JsonNode> getExportStatusAsync(String tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return run("getExportStatus", a, options, WS);
    }

    // getExportContent: Downloads the file of a finished export into memory.
    /** Downloads the file of a finished export into memory. */
    public byte[] getExportContent(long tempFileId) {
        return sync(() -> getExportContentAsync(tempFileId));
    }

    /** Downloads the file of a finished export into memory. */
    public byte[] getExportContent(long tempFileId, CallOptions options) {
        return sync(() -> getExportContentAsync(tempFileId, options));
    }

    public CompletableFuture<byte[]> getExportContentAsync(long tempFileId) {
        return getExportContentAsync(tempFileId, null);
    }

    public CompletableFuture<byte[]> getExportContentAsync(long tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return run("getExportContent", a, options, WS);
    }

    /** Downloads the file of a finished export into memory. */
    public byte[] getExportContent(String tempFileId) {
        return sync(() -> getExportContentAsync(tempFileId));
    }

    /** Downloads the file of a finished export into memory. */
    public byte[] getExportContent(String tempFileId, CallOptions options) {
        return sync(() -> getExportContentAsync(tempFileId, options));
    }

    public CompletableFuture<byte[]> getExportContentAsync(String tempFileId) {
        return getExportContentAsync(tempFileId, null);
    }

    public CompletableFuture<byte[]> getExportContentAsync(String tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return run("getExportContent", a, options, WS);
    }

    // pushTemporaryData: Stores JSON data on the server for a later render: {tempDataId, expiryDate}.
    /** Stores JSON data on the server for a later render: {tempDataId, expiryDate}. */
    public JsonNode pushTemporaryData(Object data) {
        return sync(() -> pushTemporaryDataAsync(data));
    }

    /** Stores JSON data on the server for a later render: {tempDataId, expiryDate}. */
    public JsonNode pushTemporaryData(Object data, CallOptions options) {
        return sync(() -> pushTemporaryDataAsync(data, options));
    }

    public CompletableFuture<JsonNode> pushTemporaryDataAsync(Object data) {
        return pushTemporaryDataAsync(data, null);
    }

    public CompletableFuture<JsonNode> pushTemporaryDataAsync(Object data, CallOptions options) {
        ObjectNode a = Json.object();
        putJson(a, "data", "data", data);
        return run("pushTemporaryData", a, options, PUSH);
    }

    // createAuthToken: Creates a single-use nonce token for an iframe preview.
    /** Creates a single-use nonce token for an iframe preview. */
    public JsonNode createAuthToken() {
        return sync(() -> createAuthTokenAsync());
    }

    /** Creates a single-use nonce token for an iframe preview. */
    public JsonNode createAuthToken(CallOptions options) {
        return sync(() -> createAuthTokenAsync(options));
    }

    public CompletableFuture<JsonNode> createAuthTokenAsync() {
        return createAuthTokenAsync(null);
    }

    public CompletableFuture<JsonNode> createAuthTokenAsync(CallOptions options) {
        ObjectNode a = Json.object();
        return run("createAuthToken", a, options, NONE_OPTS);
    }

    // getPreviewUrl: Builds a report preview URL with a fresh nonce (options.data is pushed first).
    /** Builds a report preview URL with a fresh nonce (options.data is pushed first). */
    public String getPreviewUrl(long reportId) {
        return sync(() -> getPreviewUrlAsync(reportId));
    }

    /** Builds a report preview URL with a fresh nonce (options.data is pushed first). */
    public String getPreviewUrl(long reportId, Object queryParams, CallOptions options) {
        return sync(() -> getPreviewUrlAsync(reportId, queryParams, options));
    }

    public CompletableFuture<String> getPreviewUrlAsync(long reportId) {
        return getPreviewUrlAsync(reportId, null, null);
    }

    public CompletableFuture<String> getPreviewUrlAsync(long reportId, Object queryParams, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "query_params", "queryParams", queryParams);
        return run("getPreviewUrl", a, options, PREVIEW);
    }

    /** Builds a report preview URL with a fresh nonce (options.data is pushed first). */
    public String getPreviewUrl(String reportId) {
        return sync(() -> getPreviewUrlAsync(reportId));
    }

    /** Builds a report preview URL with a fresh nonce (options.data is pushed first). */
    public String getPreviewUrl(String reportId, Object queryParams, CallOptions options) {
        return sync(() -> getPreviewUrlAsync(reportId, queryParams, options));
    }

    public CompletableFuture<String> getPreviewUrlAsync(String reportId) {
        return getPreviewUrlAsync(reportId, null, null);
    }

    public CompletableFuture<String> getPreviewUrlAsync(String reportId, Object queryParams, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "query_params", "queryParams", queryParams);
        return run("getPreviewUrl", a, options, PREVIEW);
    }

    // startJobRun: Starts a run of a job: {jobRunId}.
    /** Starts a run of a job: {jobRunId}. */
    public JsonNode startJobRun(long jobId) {
        return sync(() -> startJobRunAsync(jobId));
    }

    /** Starts a run of a job: {jobRunId}. */
    public JsonNode startJobRun(long jobId, Object requestBody, CallOptions options) {
        return sync(() -> startJobRunAsync(jobId, requestBody, options));
    }

    public CompletableFuture<JsonNode> startJobRunAsync(long jobId) {
        return startJobRunAsync(jobId, null, null);
    }

    public CompletableFuture<JsonNode> startJobRunAsync(long jobId, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("startJobRun", a, options, WS);
    }

    /** Starts a run of a job: {jobRunId}. */
    public JsonNode startJobRun(String jobId) {
        return sync(() -> startJobRunAsync(jobId));
    }

    /** Starts a run of a job: {jobRunId}. */
    public JsonNode startJobRun(String jobId, Object requestBody, CallOptions options) {
        return sync(() -> startJobRunAsync(jobId, requestBody, options));
    }

    public CompletableFuture<JsonNode> startJobRunAsync(String jobId) {
        return startJobRunAsync(jobId, null, null);
    }

    public CompletableFuture<JsonNode> startJobRunAsync(String jobId, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("startJobRun", a, options, WS);
    }

    // getJobRunStatus: Reads the status of a job run.
    /** Reads the status of a job run. */
    public JsonNode getJobRunStatus(long jobId, long runId) {
        return sync(() -> getJobRunStatusAsync(jobId, runId));
    }

    /** Reads the status of a job run. */
    public JsonNode getJobRunStatus(long jobId, long runId, CallOptions options) {
        return sync(() -> getJobRunStatusAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> getJobRunStatusAsync(long jobId, long runId) {
        return getJobRunStatusAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> getJobRunStatusAsync(long jobId, long runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("getJobRunStatus", a, options, WS);
    }

    /** Reads the status of a job run. */
    public JsonNode getJobRunStatus(long jobId, String runId) {
        return sync(() -> getJobRunStatusAsync(jobId, runId));
    }

    /** Reads the status of a job run. */
    public JsonNode getJobRunStatus(long jobId, String runId, CallOptions options) {
        return sync(() -> getJobRunStatusAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> getJobRunStatusAsync(long jobId, String runId) {
        return getJobRunStatusAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> getJobRunStatusAsync(long jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("getJobRunStatus", a, options, WS);
    }

    /** Reads the status of a job run. */
    public JsonNode getJobRunStatus(String jobId, String runId) {
        return sync(() -> getJobRunStatusAsync(jobId, runId));
    }

    /** Reads the status of a job run. */
    public JsonNode getJobRunStatus(String jobId, String runId, CallOptions options) {
        return sync(() -> getJobRunStatusAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> getJobRunStatusAsync(String jobId, String runId) {
        return getJobRunStatusAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> getJobRunStatusAsync(String jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("getJobRunStatus", a, options, WS);
    }

    // getRunReviewDocument: Generates the review document of a job run (an export to poll).
    /** Generates the review document of a job run (an export to poll). */
    public JsonNode getRunReviewDocument(long jobId, long runId) {
        return sync(() -> getRunReviewDocumentAsync(jobId, runId));
    }

    /** Generates the review document of a job run (an export to poll). */
    public JsonNode getRunReviewDocument(long jobId, long runId, CallOptions options) {
        return sync(() -> getRunReviewDocumentAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> getRunReviewDocumentAsync(long jobId, long runId) {
        return getRunReviewDocumentAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> getRunReviewDocumentAsync(long jobId, long runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("getRunReviewDocument", a, options, WS);
    }

    /** Generates the review document of a job run (an export to poll). */
    public JsonNode getRunReviewDocument(long jobId, String runId) {
        return sync(() -> getRunReviewDocumentAsync(jobId, runId));
    }

    /** Generates the review document of a job run (an export to poll). */
    public JsonNode getRunReviewDocument(long jobId, String runId, CallOptions options) {
        return sync(() -> getRunReviewDocumentAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> getRunReviewDocumentAsync(long jobId, String runId) {
        return getRunReviewDocumentAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> getRunReviewDocumentAsync(long jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("getRunReviewDocument", a, options, WS);
    }

    /** Generates the review document of a job run (an export to poll). */
    public JsonNode getRunReviewDocument(String jobId, String runId) {
        return sync(() -> getRunReviewDocumentAsync(jobId, runId));
    }

    /** Generates the review document of a job run (an export to poll). */
    public JsonNode getRunReviewDocument(String jobId, String runId, CallOptions options) {
        return sync(() -> getRunReviewDocumentAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> getRunReviewDocumentAsync(String jobId, String runId) {
        return getRunReviewDocumentAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> getRunReviewDocumentAsync(String jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("getRunReviewDocument", a, options, WS);
    }

    // deliverJobRunEntries: Delivers the entries of a reviewed job run.
    /** Delivers the entries of a reviewed job run. */
    public void deliverJobRunEntries(long jobId, long runId) {
        sync(() -> deliverJobRunEntriesAsync(jobId, runId));
    }

    /** Delivers the entries of a reviewed job run. */
    public void deliverJobRunEntries(long jobId, long runId, CallOptions options) {
        sync(() -> deliverJobRunEntriesAsync(jobId, runId, options));
    }

    public CompletableFuture<Void> deliverJobRunEntriesAsync(long jobId, long runId) {
        return deliverJobRunEntriesAsync(jobId, runId, null);
    }

    public CompletableFuture<Void> deliverJobRunEntriesAsync(long jobId, long runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("deliverJobRunEntries", a, options, WS);
    }

    /** Delivers the entries of a reviewed job run. */
    public void deliverJobRunEntries(long jobId, String runId) {
        sync(() -> deliverJobRunEntriesAsync(jobId, runId));
    }

    /** Delivers the entries of a reviewed job run. */
    public void deliverJobRunEntries(long jobId, String runId, CallOptions options) {
        sync(() -> deliverJobRunEntriesAsync(jobId, runId, options));
    }

    public CompletableFuture<Void> deliverJobRunEntriesAsync(long jobId, String runId) {
        return deliverJobRunEntriesAsync(jobId, runId, null);
    }

    public CompletableFuture<Void> deliverJobRunEntriesAsync(long jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("deliverJobRunEntries", a, options, WS);
    }

    /** Delivers the entries of a reviewed job run. */
    public void deliverJobRunEntries(String jobId, String runId) {
        sync(() -> deliverJobRunEntriesAsync(jobId, runId));
    }

    /** Delivers the entries of a reviewed job run. */
    public void deliverJobRunEntries(String jobId, String runId, CallOptions options) {
        sync(() -> deliverJobRunEntriesAsync(jobId, runId, options));
    }

    public CompletableFuture<Void> deliverJobRunEntriesAsync(String jobId, String runId) {
        return deliverJobRunEntriesAsync(jobId, runId, null);
    }

    public CompletableFuture<Void> deliverJobRunEntriesAsync(String jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("deliverJobRunEntries", a, options, WS);
    }

    // getPdfUrl: Builds the PDF download URL (no network call, no token in it).
    /** Builds the PDF download URL (no network call, no token in it). */
    public String getPdfUrl(long reportId) {
        return sync(() -> getPdfUrlAsync(reportId));
    }

    /** Builds the PDF download URL (no network call, no token in it). */
    public String getPdfUrl(long reportId, Object params, CallOptions options) {
        return sync(() -> getPdfUrlAsync(reportId, params, options));
    }

    public CompletableFuture<String> getPdfUrlAsync(long reportId) {
        return getPdfUrlAsync(reportId, null, null);
    }

    public CompletableFuture<String> getPdfUrlAsync(long reportId, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "params", "params", params);
        return run("getPdfUrl", a, options, RENDER);
    }

    /** Builds the PDF download URL (no network call, no token in it). */
    public String getPdfUrl(String reportId) {
        return sync(() -> getPdfUrlAsync(reportId));
    }

    /** Builds the PDF download URL (no network call, no token in it). */
    public String getPdfUrl(String reportId, Object params, CallOptions options) {
        return sync(() -> getPdfUrlAsync(reportId, params, options));
    }

    public CompletableFuture<String> getPdfUrlAsync(String reportId) {
        return getPdfUrlAsync(reportId, null, null);
    }

    public CompletableFuture<String> getPdfUrlAsync(String reportId, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        putJson(a, "params", "params", params);
        return run("getPdfUrl", a, options, RENDER);
    }

    // savePdf: Renders a report to PDF with GET, streamed to path (temporary file, then rename).
    /** Renders a report to PDF with GET, streamed to path (temporary file, then rename). */
    public Download savePdf(long reportId, Path path) {
        return sync(() -> savePdfAsync(reportId, path));
    }

    /** Renders a report to PDF with GET, streamed to path (temporary file, then rename). */
    public Download savePdf(long reportId, Path path, Object params, CallOptions options) {
        return sync(() -> savePdfAsync(reportId, path, params, options));
    }

    public CompletableFuture<Download> savePdfAsync(long reportId, Path path) {
        return savePdfAsync(reportId, path, null, null);
    }

    public CompletableFuture<Download> savePdfAsync(long reportId, Path path, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        a.put("path", path("path", path));
        putJson(a, "params", "params", params);
        return run("savePdf", a, options, RENDER);
    }

    /** Renders a report to PDF with GET, streamed to path (temporary file, then rename). */
    public Download savePdf(String reportId, Path path) {
        return sync(() -> savePdfAsync(reportId, path));
    }

    /** Renders a report to PDF with GET, streamed to path (temporary file, then rename). */
    public Download savePdf(String reportId, Path path, Object params, CallOptions options) {
        return sync(() -> savePdfAsync(reportId, path, params, options));
    }

    public CompletableFuture<Download> savePdfAsync(String reportId, Path path) {
        return savePdfAsync(reportId, path, null, null);
    }

    public CompletableFuture<Download> savePdfAsync(String reportId, Path path, Object params, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        a.put("path", path("path", path));
        putJson(a, "params", "params", params);
        return run("savePdf", a, options, RENDER);
    }

    // savePostPdf: Renders a report with a JSON body, streamed to path.
    /** Renders a report with a JSON body, streamed to path. */
    public Download savePostPdf(long reportId, Path path) {
        return sync(() -> savePostPdfAsync(reportId, path));
    }

    /** Renders a report with a JSON body, streamed to path. */
    public Download savePostPdf(long reportId, Path path, Object requestBody, CallOptions options) {
        return sync(() -> savePostPdfAsync(reportId, path, requestBody, options));
    }

    public CompletableFuture<Download> savePostPdfAsync(long reportId, Path path) {
        return savePostPdfAsync(reportId, path, null, null);
    }

    public CompletableFuture<Download> savePostPdfAsync(long reportId, Path path, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        a.put("path", path("path", path));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("savePostPdf", a, options, WS);
    }

    /** Renders a report with a JSON body, streamed to path. */
    public Download savePostPdf(String reportId, Path path) {
        return sync(() -> savePostPdfAsync(reportId, path));
    }

    /** Renders a report with a JSON body, streamed to path. */
    public Download savePostPdf(String reportId, Path path, Object requestBody, CallOptions options) {
        return sync(() -> savePostPdfAsync(reportId, path, requestBody, options));
    }

    public CompletableFuture<Download> savePostPdfAsync(String reportId, Path path) {
        return savePostPdfAsync(reportId, path, null, null);
    }

    public CompletableFuture<Download> savePostPdfAsync(String reportId, Path path, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        a.put("path", path("path", path));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("savePostPdf", a, options, WS);
    }

    // saveExportContent: Downloads the file of a finished export to path.
    /** Downloads the file of a finished export to path. */
    public Download saveExportContent(long tempFileId, Path path) {
        return sync(() -> saveExportContentAsync(tempFileId, path));
    }

    /** Downloads the file of a finished export to path. */
    public Download saveExportContent(long tempFileId, Path path, CallOptions options) {
        return sync(() -> saveExportContentAsync(tempFileId, path, options));
    }

    public CompletableFuture<Download> saveExportContentAsync(long tempFileId, Path path) {
        return saveExportContentAsync(tempFileId, path, null);
    }

    public CompletableFuture<Download> saveExportContentAsync(long tempFileId, Path path, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        a.put("path", path("path", path));
        return run("saveExportContent", a, options, WS);
    }

    /** Downloads the file of a finished export to path. */
    public Download saveExportContent(String tempFileId, Path path) {
        return sync(() -> saveExportContentAsync(tempFileId, path));
    }

    /** Downloads the file of a finished export to path. */
    public Download saveExportContent(String tempFileId, Path path, CallOptions options) {
        return sync(() -> saveExportContentAsync(tempFileId, path, options));
    }

    public CompletableFuture<Download> saveExportContentAsync(String tempFileId, Path path) {
        return saveExportContentAsync(tempFileId, path, null);
    }

    public CompletableFuture<Download> saveExportContentAsync(String tempFileId, Path path, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        a.put("path", path("path", path));
        return run("saveExportContent", a, options, WS);
    }

    // waitForExport: Polls an export until it completes; Failed is an export_failed error. options.timeout is the deadline.
    /** Polls an export until it completes; Failed is an export_failed error. options.timeout is the deadline. */
    public JsonNode waitForExport(long tempFileId) {
        return sync(() -> waitForExportAsync(tempFileId));
    }

    /** Polls an export until it completes; Failed is an export_failed error. options.timeout is the deadline. */
    public JsonNode waitForExport(long tempFileId, CallOptions options) {
        return sync(() -> waitForExportAsync(tempFileId, options));
    }

    public CompletableFuture<JsonNode> waitForExportAsync(long tempFileId) {
        return waitForExportAsync(tempFileId, null);
    }

    public CompletableFuture<JsonNode> waitForExportAsync(long tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return run("waitForExport", a, options, WAIT);
    }

    /** Polls an export until it completes; Failed is an export_failed error. options.timeout is the deadline. */
    public JsonNode waitForExport(String tempFileId) {
        return sync(() -> waitForExportAsync(tempFileId));
    }

    /** Polls an export until it completes; Failed is an export_failed error. options.timeout is the deadline. */
    public JsonNode waitForExport(String tempFileId, CallOptions options) {
        return sync(() -> waitForExportAsync(tempFileId, options));
    }

    public CompletableFuture<JsonNode> waitForExportAsync(String tempFileId) {
        return waitForExportAsync(tempFileId, null);
    }

    public CompletableFuture<JsonNode> waitForExportAsync(String tempFileId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("temp_file_id", id("tempFileId", tempFileId));
        return run("waitForExport", a, options, WAIT);
    }

    // exportToFile: Starts an export, waits for it and streams its file to path; progress through options.onProgress.
    /** Starts an export, waits for it and streams its file to path; progress through options.onProgress. */
    public Download exportToFile(long reportId, Path path) {
        return sync(() -> exportToFileAsync(reportId, path));
    }

    /** Starts an export, waits for it and streams its file to path; progress through options.onProgress. */
    public Download exportToFile(long reportId, Path path, Object requestBody, CallOptions options) {
        return sync(() -> exportToFileAsync(reportId, path, requestBody, options));
    }

    public CompletableFuture<Download> exportToFileAsync(long reportId, Path path) {
        return exportToFileAsync(reportId, path, null, null);
    }

    public CompletableFuture<Download> exportToFileAsync(long reportId, Path path, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        a.put("path", path("path", path));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("exportToFile", a, options, WAIT);
    }

    /** Starts an export, waits for it and streams its file to path; progress through options.onProgress. */
    public Download exportToFile(String reportId, Path path) {
        return sync(() -> exportToFileAsync(reportId, path));
    }

    /** Starts an export, waits for it and streams its file to path; progress through options.onProgress. */
    public Download exportToFile(String reportId, Path path, Object requestBody, CallOptions options) {
        return sync(() -> exportToFileAsync(reportId, path, requestBody, options));
    }

    public CompletableFuture<Download> exportToFileAsync(String reportId, Path path) {
        return exportToFileAsync(reportId, path, null, null);
    }

    public CompletableFuture<Download> exportToFileAsync(String reportId, Path path, Object requestBody, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("report_id", id("reportId", reportId));
        a.put("path", path("path", path));
        putJson(a, "request_body", "requestBody", requestBody);
        return run("exportToFile", a, options, WAIT);
    }

    // waitForJobRun: Polls a job run until it is finished. options.timeout is the deadline.
    /** Polls a job run until it is finished. options.timeout is the deadline. */
    public JsonNode waitForJobRun(long jobId, long runId) {
        return sync(() -> waitForJobRunAsync(jobId, runId));
    }

    /** Polls a job run until it is finished. options.timeout is the deadline. */
    public JsonNode waitForJobRun(long jobId, long runId, CallOptions options) {
        return sync(() -> waitForJobRunAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> waitForJobRunAsync(long jobId, long runId) {
        return waitForJobRunAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> waitForJobRunAsync(long jobId, long runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("waitForJobRun", a, options, WAIT);
    }

    /** Polls a job run until it is finished. options.timeout is the deadline. */
    public JsonNode waitForJobRun(long jobId, String runId) {
        return sync(() -> waitForJobRunAsync(jobId, runId));
    }

    /** Polls a job run until it is finished. options.timeout is the deadline. */
    public JsonNode waitForJobRun(long jobId, String runId, CallOptions options) {
        return sync(() -> waitForJobRunAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> waitForJobRunAsync(long jobId, String runId) {
        return waitForJobRunAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> waitForJobRunAsync(long jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("waitForJobRun", a, options, WAIT);
    }

    /** Polls a job run until it is finished. options.timeout is the deadline. */
    public JsonNode waitForJobRun(String jobId, String runId) {
        return sync(() -> waitForJobRunAsync(jobId, runId));
    }

    /** Polls a job run until it is finished. options.timeout is the deadline. */
    public JsonNode waitForJobRun(String jobId, String runId, CallOptions options) {
        return sync(() -> waitForJobRunAsync(jobId, runId, options));
    }

    public CompletableFuture<JsonNode> waitForJobRunAsync(String jobId, String runId) {
        return waitForJobRunAsync(jobId, runId, null);
    }

    public CompletableFuture<JsonNode> waitForJobRunAsync(String jobId, String runId, CallOptions options) {
        ObjectNode a = Json.object();
        a.set("job_id", id("jobId", jobId));
        a.set("run_id", id("runId", runId));
        return run("waitForJobRun", a, options, WAIT);
    }

    /** Builds a client; baseUrl and token are required. */
    public static final class Builder {
        private final ObjectNode cfg = Json.object();
        private Logger logger = Logger.getLogger("com.cxreports");

        private Builder() {}

        /** The tenant's URL, e.g. https://your-tenant.cx-reports.app. */
        public Builder baseUrl(String baseUrl) {
            cfg.put("base_url", baseUrl);
            return this;
        }

        /** The API token; only ever sent in the Authorization header, never in a message. */
        public Builder token(String token) {
            cfg.put("token", token);
            return this;
        }

        public Builder defaultWorkspaceId(long id) {
            cfg.put("default_workspace_id", id);
            return this;
        }

        /** A workspace code (or an id as text). */
        public Builder defaultWorkspaceId(String id) {
            cfg.put("default_workspace_id", id);
            return this;
        }

        /** Per HTTP attempt (default 60 s); Duration.ZERO keeps the default. */
        public Builder timeout(java.time.Duration timeout) {
            cfg.set("timeout", CallOptions.seconds("timeout", timeout));
            return this;
        }

        /** Turns the per-attempt timeout off. */
        public Builder noTimeout() {
            cfg.put("timeout", -1);
            return this;
        }

        /** Retries of a GET, and of a POST that could not connect (default 3; 0 or negative: never). */
        public Builder maxRetries(int maxRetries) {
            cfg.put("max_retries", maxRetries);
            return this;
        }

        public Builder retryWaitMin(java.time.Duration d) {
            cfg.set("retry_wait_min", CallOptions.seconds("retryWaitMin", d));
            return this;
        }

        public Builder retryWaitMax(java.time.Duration d) {
            cfg.set("retry_wait_max", CallOptions.seconds("retryWaitMax", d));
            return this;
        }

        /** The longest Retry-After the client waits for before giving up. */
        public Builder maxRetryAfter(java.time.Duration d) {
            cfg.set("max_retry_after", CallOptions.seconds("maxRetryAfter", d));
            return this;
        }

        /** A PEM file of CA certificates to trust instead of the system's. */
        public Builder caBundleFile(Path file) {
            cfg.put("ca_bundle_file", file == null ? null : file.toAbsolutePath().toString());
            return this;
        }

        /** PEM text of CA certificates to trust instead of the system's. */
        public Builder caBundlePem(String pem) {
            cfg.put("ca_bundle_pem", pem);
            return this;
        }

        public Builder userAgentSuffix(String suffix) {
            cfg.put("user_agent_suffix", suffix);
            return this;
        }

        /** The timezone sent with renders that name none, e.g. Europe/Berlin. */
        public Builder defaultTimezone(String tz) {
            cfg.put("default_timezone", tz);
            return this;
        }

        /**
         * Where the library's log lines go (retries, waits), at the logger's effective level
         * when the client is built; default the logger "com.cxreports".
         */
        public Builder logger(Logger logger) {
            if (logger == null) {
                throw Calls.invalid("logger must not be null");
            }
            this.logger = logger;
            return this;
        }

        public CxReportsClient build() {
            ObjectNode c = cfg.deepCopy();
            ObjectNode names = c.putObject("names");
            names.put("base_url", "baseUrl");
            names.put("token", "token");
            names.put("timeout", "timeout");
            names.put("max_retries", "maxRetries");
            names.put("retry_wait_min", "retryWaitMin");
            names.put("retry_wait_max", "retryWaitMax");
            names.put("max_retry_after", "maxRetryAfter");
            names.put("ca_bundle_file", "caBundleFile");
            names.put("ca_bundle_pem", "caBundlePem");
            names.put("user_agent_suffix", "userAgentSuffix");
            names.put("default_timezone", "defaultTimezone");
            names.put("default_workspace_id", "defaultWorkspaceId");
            names.put("workspace_id", "workspaceId");
            names.put("post_pdf", "postPdf");
            names.put("push_temporary_data", "pushTemporaryData");
            NativeLib.Cx cx = NativeLib.cx();
            PointerByReference err = new PointerByReference();
            long h = cx.cx_client_new(Json.write(c), err);
            if (h == 0) {
                throw Calls.errorOf(Json.parse(NativeLib.take(err.getValue())), null);
            }
            Inbox inbox;
            try {
                inbox = Inbox.open(logger);
                if (!inbox.adopt(h)) {
                    inbox.close();
                    throw new IllegalStateException("cxreports: the inbox did not adopt the client handle");
                }
                inbox.setLogLevel(logger);
            } catch (RuntimeException e) {
                NativeLib.take(cx.cx_client_free(h));
                throw e;
            }
            return new CxReportsClient(new State(h, inbox));
        }
    }
}
