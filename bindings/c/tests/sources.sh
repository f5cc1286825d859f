# The source files of capi_test, for run.sh and run-arm64.sh: capi_test.c holds main,
# the others add test groups (check.h declares them) and the shared helpers.
# shellcheck shell=bash
capi_test_sources=("$here/capi_test.c" "$here/transport_test.c" "$here/flows_test.c" "$here/batch_test.c"
  "$here/batch_kill_test.c" "$here/batch_auto_test.c" "$here/input_test.c" "$here/check.c")
