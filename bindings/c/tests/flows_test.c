/*
 * flows_test.c - the export, temporary-data, preview and job flows through the C
 * ABI, whatever type the server gives its ids: run.sh runs them against a fake
 * with integer ids and against one with GUID ids (cxfake -ids guid). Each id is
 * copied from one envelope into the next call's arguments exactly as it came (a
 * number, or a string with its quotes). Linked into capi_test (see test_flows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* step runs a JSON method, checks success, and copies the member key of its data
 * into id (when key is not NULL). */
static void step(cx_handle h, const char* method, const char* args, const char* key, char* id, size_t n, int want_string) {
	char* env = cx_call(h, method, args);
	CHECK(is_ok(env), "%s %s: %s", method, args, env);
	if (key != NULL) {
		field(env, key, id, n);
		CHECK(id[0] != 0, "%s: no %s in %s", method, key, env);
		CHECK((id[0] == '"') == want_string, "%s: %s is %s, want a %s", method, key, id, want_string ? "string" : "number");
	}
	cx_free(env);
}

static void pdf(cx_handle h, const char* method, const char* args) {
	uint8_t* data = NULL;
	size_t len = 0;
	char* env = cx_call_bytes(h, method, args, &data, &len);
	CHECK(is_ok(env) && len > 5 && memcmp(data, "%PDF-", 5) == 0, "%s %s: %s", method, args, env);
	cx_free(data);
	cx_free(env);
}

void test_flows(cx_handle h, const char* dir, int guid_ids) {
	char tf[128], td[128], run[128], review[128], args[512];
	step(h, "start_report_export", "{\"report_id\":160}", "temporaryFileId", tf, sizeof tf, guid_ids);
	snprintf(args, sizeof args, "{\"temp_file_id\":%s,\"poll_interval\":0.02}", tf);
	step(h, "wait_for_export", args, NULL, NULL, 0, 0);
	snprintf(args, sizeof args, "{\"temp_file_id\":%s}", tf);
	pdf(h, "get_export_content", args);
	char saved[128];
	snprintf(args, sizeof args, "{\"report_id\":160,\"path\":\"%s/flow.pdf\",\"poll_interval\":0.02}", dir);
	step(h, "export_to_file", args, "temporary_file_id", saved, sizeof saved, guid_ids);

	step(h, "push_temporary_data", "{\"data\":{\"rows\":[1,2]}}", "tempDataId", td, sizeof td, guid_ids);
	snprintf(args, sizeof args, "{\"report_id\":160,\"params\":{\"tempDataId\":%s}}", td);
	pdf(h, "get_pdf", args);
	snprintf(args, sizeof args, "{\"report_id\":160,\"request_body\":{\"tempDataId\":%s}}", td);
	pdf(h, "post_pdf", args);
	char* env = cx_call(h, "get_preview_url", "{\"report_id\":160,\"data\":{\"x\":1}}");
	CHECK(is_ok(env) && has(env, "tempDataId="), "get_preview_url with data: %s", env);
	cx_free(env);

	step(h, "start_job_run", "{\"job_id\":\"monthly\"}", "jobRunId", run, sizeof run, guid_ids);
	snprintf(args, sizeof args, "{\"job_id\":\"monthly\",\"run_id\":%s,\"poll_interval\":0.02}", run);
	step(h, "wait_for_job_run", args, NULL, NULL, 0, 0);
	snprintf(args, sizeof args, "{\"job_id\":\"monthly\",\"run_id\":%s}", run);
	step(h, "get_run_review_document", args, "temporaryFileId", review, sizeof review, guid_ids);
	step(h, "deliver_job_run_entries", args, NULL, NULL, 0, 0);
	snprintf(args, sizeof args, "{\"temp_file_id\":%s,\"poll_interval\":0.02}", review);
	step(h, "wait_for_export", args, NULL, NULL, 0, 0);
}
