// cx_free is plain C: everything the library hands out is C.malloc'd, and freeing
// it needs no Go. Entering Go costs more than free() itself, and far more on a
// thread whose calls run on a stack the Go runtime does not recognise (see
// stackbound_linux.c), which is how koffi calls from Node's main thread.

#include <stdlib.h>
#include "cxabi.h"

CX_EXPORT void cx_free(void* p) {
	free(p);
}
