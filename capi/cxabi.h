/* Private to capi/: the types the //export functions use, kept identical to the
 * public include/cxreports.h. The public header is not included here because cgo
 * writes its own prototypes (without const) for the exported functions, and the
 * two sets of prototypes would conflict inside the generated code. */
#ifndef CXREPORTS_CAPI_ABI_H
#define CXREPORTS_CAPI_ABI_H
#include <stddef.h>
#include <stdint.h>

typedef uint64_t cx_handle;
typedef void (*cx_done_fn)(uint64_t request_id, char* envelope, uint8_t* data, size_t len, void* user_data);
typedef void (*cx_progress_fn)(uint64_t request_id, char* event_json, void* user_data);
typedef void (*cx_log_fn)(int level, char* message, void* user_data);

#endif
