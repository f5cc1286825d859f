/*
 * render_pdf.c - render a CxReports report to a PDF file with libcxreports.
 *
 * Usage:  render_pdf OUTPUT.pdf [REPORT_ID]
 * Reads the server from the environment:
 *   CXREPORTS_URL        tenant root, e.g. https://tenant.cx-reports.app
 *   CXREPORTS_TOKEN      personal access token
 *   CXREPORTS_WORKSPACE  default workspace id or code
 *
 * Build (after `make build-capi`):
 *   cc -Ibuild -o render_pdf bindings/c/render_pdf.c -Lbuild -lcxreports -Wl,-rpath,$PWD/build
 * or with pkg-config after `make install PREFIX=$HOME/.local` (README.md, "C and C++"):
 *   export PKG_CONFIG_PATH=$HOME/.local/lib/pkgconfig
 *   cc -o render_pdf render_pdf.c $(pkg-config --cflags --libs cxreports) \
 *      -Wl,-rpath,$(pkg-config --variable=libdir cxreports)
 * or for Windows (after `make build-windows`), with MinGW or zig, then with MSVC:
 *   x86_64-w64-mingw32-gcc -Ibuild -o render_pdf.exe bindings/c/render_pdf.c build/windows-x64/libcxreports.dll.a
 *   cl /I build bindings\c\render_pdf.c build\windows-x64\cxreports.lib
 * and put build/windows-x64/cxreports.dll beside render_pdf.exe (or on PATH).
 *
 * Every call returns a JSON envelope {"ok":true,"data":...} or
 * {"ok":false,"error":{"code":...,"message":...}}; every string the library
 * returns is released with cx_free().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxreports.h"

/* json_string appends s to out as a JSON string literal (quotes and escapes). */
static void json_string(char* out, size_t n, const char* s) {
	size_t o = strlen(out);
	if (o + 1 < n) out[o++] = '"';
	for (; *s && o + 7 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)snprintf(out + o, n - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	if (o + 1 < n) out[o++] = '"';
	out[o] = '\0';
}

/* is_ok tells a success envelope from an error one. */
static int is_ok(const char* envelope) { return envelope && strncmp(envelope, "{\"ok\":true", 10) == 0; }

int main(int argc, char** argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: %s OUTPUT.pdf [REPORT_ID]\n", argv[0]);
		return 2;
	}
	const char* url = getenv("CXREPORTS_URL");
	const char* token = getenv("CXREPORTS_TOKEN");
	const char* workspace = getenv("CXREPORTS_WORKSPACE");
	if (!url || !token) {
		fprintf(stderr, "render_pdf: set CXREPORTS_URL and CXREPORTS_TOKEN (and CXREPORTS_WORKSPACE)\n");
		return 2;
	}
	if (cx_abi_version() != CX_ABI_VERSION) {
		fprintf(stderr, "render_pdf: libcxreports ABI %d, this program needs %d\n", cx_abi_version(), CX_ABI_VERSION);
		return 1;
	}

	/* 1. A client. The workspace is sent as a string (a code, or a numeric id
	 * as text); the server accepts both. */
	char config[4096] = "{\"base_url\":";
	json_string(config, sizeof config, url);
	strcat(config, ",\"token\":");
	json_string(config, sizeof config, token);
	if (workspace) {
		strcat(config, ",\"default_workspace_id\":");
		json_string(config, sizeof config, workspace);
	}
	strcat(config, "}");
	char* error = NULL;
	cx_handle client = cx_client_new(config, &error);
	if (client == 0) {
		fprintf(stderr, "render_pdf: cannot create the client: %s\n", error);
		cx_free(error);
		return 1;
	}

	/* 2. Render straight to the file: the library streams the PDF to a temporary
	 * file beside OUTPUT and renames it, so a failed render leaves no half file.
	 * Report parameters go in params; timeout bounds the whole call (seconds). */
	const char* report = argc > 2 ? argv[2] : "160";
	char args[4096] = "{\"report_id\":";
	if (strspn(report, "0123456789") == strlen(report) && *report) {
		strcat(args, report); /* a numeric id */
	} else {
		json_string(args, sizeof args, report); /* a report type code */
	}
	strcat(args, ",\"params\":{\"params\":{\"customer\":\"ACME\"}},\"timeout\":60,\"path\":");
	json_string(args, sizeof args, argv[1]);
	strcat(args, "}");
	char* result = cx_call(client, "save_pdf", args);
	int ok = is_ok(result);
	if (ok) {
		printf("render_pdf: wrote %s: %s\n", argv[1], result);
	} else {
		fprintf(stderr, "render_pdf: %s\n", result);
	}
	cx_free(result);

	/* 3. Release the client; the envelope of cx_client_free is freed like any other. */
	cx_free(cx_client_free(client));
	return ok ? 0 : 1;
}
