// header_check.cpp - proves include/cxreports.h is usable from C++: it compiles
// with -Wall -Wextra -Werror -pedantic, links against libcxreports and calls the
// API (no server needed: only calls that fail locally or need no network).
#include "cxreports.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

// Owned takes a library string and releases it with cx_free, RAII style.
struct Owned {
	char* p;
	explicit Owned(char* s) : p(s) {}
	~Owned() { cx_free(p); }
	Owned(const Owned&) = delete;
	Owned& operator=(const Owned&) = delete;
	std::string str() const { return p ? std::string(p) : std::string(); }
};

int failures = 0;

void check(bool ok, const char* what, const std::string& got) {
	if (!ok) {
		++failures;
		std::fprintf(stderr, "FAIL %s: %s\n", what, got.c_str());
	}
}

}  // namespace

int main() {
	check(cx_abi_version() == CX_ABI_VERSION, "abi version", std::to_string(cx_abi_version()));
	{
		Owned v(cx_version());
		check(v.str().find("\"abi\":1") != std::string::npos, "cx_version", v.str());
	}
	{
		Owned m(cx_methods());
		check(m.str().find("\"get_pdf\"") != std::string::npos, "cx_methods", m.str().substr(0, 80));
	}
	char* err = nullptr;
	cx_handle h = cx_client_new("{\"base_url\":\"http://127.0.0.1:9\",\"token\":\"t\",\"default_workspace_id\":1,\"timeout\":1,\"max_retries\":-1}", &err);
	check(h != 0 && err == nullptr, "cx_client_new", err ? err : "");
	{
		Owned e(cx_call(h, "get_pdf", "{\"report_id\":160}"));
		check(e.str().find("\"code\":\"binary_result\"") != std::string::npos, "binary_result", e.str());
	}
	{
		Owned e(cx_call(h, "get_pdf_url", "{\"report_id\":160}"));
		check(e.str().rfind("{\"ok\":true", 0) == 0, "get_pdf_url", e.str());
	}
	{
		std::uint8_t* data = nullptr;
		std::size_t len = 0;
		Owned e(cx_call_bytes(h, "nope", "{}", &data, &len));
		check(data == nullptr && len == 0 && e.str().find("unknown_method") != std::string::npos, "unknown_method", e.str());
	}
	check(cx_cancel(42) == 0, "cx_cancel", "");
	cx_set_log_callback(nullptr, CX_LOG_ERROR, nullptr);
	{
		Owned e(cx_client_free(h));
		check(e.str() == "{\"ok\":true,\"data\":null}", "cx_client_free", e.str());
	}
	if (failures != 0) {
		return 1;
	}
	std::puts("header_check: C++ OK");
	return 0;
}
