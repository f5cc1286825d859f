package com.cxreports;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every method of the table (capi/dispatch/methods.go, cx_methods()) under its Java name,
 * the table's "node" name: the C method, what its result becomes, whether it reports
 * progress. tools/surface checks this table, C_ARGS and CxReportsClient's methods against
 * cx_methods(); the public methods of CxReportsClient look their C method up here.
 */
final class Methods {
    private Methods() {}

    static final class Spec {
        final String method;
        final Kind kind;
        final boolean progress;

        Spec(String method, Kind kind, boolean progress) {
            this.method = method;
            this.kind = kind;
            this.progress = progress;
        }
    }

    private static final Map<String, Spec> METHODS = new LinkedHashMap<>();
    private static final Map<String, String> C_ARGS = new LinkedHashMap<>();
    private static final Map<String, String> JAVA_ARGS = new HashMap<>();

    private static void m(String java, String c, String kind, boolean progress) {
        METHODS.put(java, new Spec(c, Kind.valueOf(kind.toUpperCase(Locale.ROOT)), progress));
    }

    private static void a(String java, String c) {
        C_ARGS.put(java, c);
        JAVA_ARGS.put(c, java);
    }

    static {
        m("getWorkspaces", "get_workspaces", "json", false);
        m("getReportTypes", "get_report_types", "json", false);
        m("getThemes", "get_themes", "json", false);
        m("getTemplates", "get_templates", "json", false);
        m("getJobs", "get_jobs", "json", false);
        m("getReports", "get_reports", "json", false);
        m("getReportPages", "get_report_pages", "json", false);
        m("getPdf", "get_pdf", "bytes", true);
        m("postPdf", "post_pdf", "bytes", true);
        m("startReportExport", "start_report_export", "json", false);
        m("getExportStatus", "get_export_status", "json", false);
        m("getExportContent", "get_export_content", "bytes", true);
        m("pushTemporaryData", "push_temporary_data", "json", false);
        m("createAuthToken", "create_auth_token", "json", false);
        m("getPreviewUrl", "get_preview_url", "string", false);
        m("startJobRun", "start_job_run", "json", false);
        m("getJobRunStatus", "get_job_run_status", "json", false);
        m("getRunReviewDocument", "get_run_review_document", "json", false);
        m("deliverJobRunEntries", "deliver_job_run_entries", "none", false);
        m("getPdfUrl", "get_pdf_url", "string", false);
        m("savePdf", "save_pdf", "file", true);
        m("savePostPdf", "save_post_pdf", "file", true);
        m("saveExportContent", "save_export_content", "file", true);
        m("waitForExport", "wait_for_export", "json", true);
        m("exportToFile", "export_to_file", "file", true);
        m("waitForJobRun", "wait_for_job_run", "json", true);
        m("renderBatch", "render_batch", "stream", true);

        // The C argument behind each Java parameter or option name: camelCase of the table's.
        a("reportId", "report_id");
        a("tempFileId", "temp_file_id");
        a("jobId", "job_id");
        a("runId", "run_id");
        a("path", "path");
        a("params", "params");
        a("requestBody", "request_body");
        a("queryParams", "query_params");
        a("data", "data");
        a("theme", "theme");
        a("template", "template");
        a("expiryDate", "expiry_date");
        a("workspaceId", "workspace_id");
        a("timeout", "timeout");
        a("pollInterval", "poll_interval");
        a("maxInterval", "max_interval");
        a("type", "type");
        a("offset", "offset");
        a("limit", "limit");
        a("items", "items");
        a("outDir", "out_dir");
        a("concurrency", "concurrency");
        a("force", "force");
        a("retries", "retries");
    }

    static Spec spec(String javaName) {
        Spec s = METHODS.get(javaName);
        if (s == null) {
            throw new IllegalStateException("cxreports: no table entry for " + javaName);
        }
        return s;
    }

    static Map<String, Spec> all() {
        return Collections.unmodifiableMap(METHODS);
    }

    /** The Java name of a C argument name, or null. */
    static String javaArg(String c) {
        return JAVA_ARGS.get(c);
    }

    /** The C name of a Java argument name, or null. */
    static String cArg(String java) {
        return C_ARGS.get(java);
    }
}
