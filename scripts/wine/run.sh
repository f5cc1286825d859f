#!/usr/bin/env bash
# Usage: scripts/wine/run.sh BUILD_DIR PROGRAM.exe [ARGS...]
# Runs a Windows program under Wine in the test prefix scripts/wine/setup.sh made
# (BUILD_DIR/wine/prefix), quietly (WINEDEBUG=-all), and exits with its exit code.
# Wine's own chatter goes to stderr; the program's stdout and stderr are passed through
# as they are, so a caller that needs them reliably (Node: stdout on a pipe fails with
# EBADF under Wine) redirects them to files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR PROGRAM.exe [ARGS...]}" && pwd)
shift
[ $# -ge 1 ] || { echo "usage: run.sh BUILD_DIR PROGRAM.exe [ARGS...]" >&2; exit 2; }
# shellcheck source=find-wine.sh
. "$here/find-wine.sh"
export WINEPREFIX=$build/wine/prefix
[ -f "$build/wine/ready" ] || { echo "wine: no prefix in $WINEPREFIX; run scripts/wine/setup.sh $build first" >&2; exit 1; }
exec "$WINE64" "$@"
