// Command capi is libcxreports: the CxReports client as a C shared library
// (-buildmode=c-shared) and static archive (-buildmode=c-archive). The public
// header is include/cxreports.h. This package only converts between C and Go
// types and guards against panics; everything else is in capi/dispatch.
package main

// main is required by -buildmode=c-shared and never runs.
func main() {}
