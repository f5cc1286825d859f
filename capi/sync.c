// The synchronous exports, cx_call and cx_call_bytes. They are written in C only
// because the public prototypes take const pointers, which cgo's //export cannot
// declare; cxgo_call (sync.go) does the work on the calling thread.

#include "_cgo_export.h"

__attribute__((visibility("default"))) char* cx_call(cx_handle h, const char* method, const char* args_json) {
	uint8_t* data;
	size_t len;
	return cxgo_call(h, (char*)method, (char*)args_json, 0, 0, 0, &data, &len);
}

__attribute__((visibility("default"))) char* cx_call_bytes(cx_handle h, const char* method, const char* args_json,
                                                           uint8_t** out_data, size_t* out_len) {
	uint8_t* data;
	size_t len;
	char* env = cxgo_call(h, (char*)method, (char*)args_json, 1, out_data == NULL, out_len == NULL, &data, &len);
	if (out_data != NULL) {
		*out_data = data;
	}
	if (out_len != NULL) {
		*out_len = len;
	}
	return env;
}
