#!/usr/bin/env bash
# The README's way to a C program on the installed library, tested as a user runs it:
#   1. the ```sh block of README.md that starts with `make install PREFIX=$HOME/.local`,
#      run exactly as printed with bash from the top of the repository, with HOME a
#      fresh temporary folder (so the prefix is new and empty), no PKG_CONFIG_PATH or
#      LD_LIBRARY_PATH inherited, and CXREPORTS_URL/_TOKEN/_WORKSPACE naming build/cxfake:
#      it installs, compiles render_pdf.c with pkg-config and runs it;
#   2. checks that the program wrote a PDF and loads libcxreports.so.1 from the prefix
#      (not from build/), and starts with no LD_LIBRARY_PATH;
#   3. the README's ```c fragment, put in a main() and compiled with the same pkg-config
#      line, renders a PDF too (its URL and token replaced by the fake's).
# Needs build/libcxreports.so and build/cxfake (make build-capi build-go), cc, make and
# pkg-config.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
build="$top/build"
fail() { echo "install.sh: $*" >&2; exit 1; }

for tool in cc make pkg-config; do
  command -v "$tool" >/dev/null || fail "$tool is not installed: apt-get install ${tool/cc/gcc}"
done
[ -x "$build/cxfake" ] || fail "$build/cxfake is missing; run 'make build-go'"

# -t: in $TMPDIR when set (the system default otherwise).
tmp=$(mktemp -d -t cxreports-install.XXXXXX)
fake=""
cleanup() {
  if [ -n "$fake" ]; then kill "$fake" 2>/dev/null || true; wait "$fake" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The block: the first ```sh block whose first line is `make install PREFIX=$HOME/.local`.
awk '
  /^```sh$/ { inblock = 1; first = 1; n = 0; next }
  inblock && /^```$/ { if (found) exit; inblock = 0; next }
  inblock && first { first = 0; if ($0 ~ /^make install PREFIX=\$HOME\/\.local/) found = 1 }
  inblock && found { print }
' "$top/README.md" >"$tmp/block.sh"
[ -s "$tmp/block.sh" ] || fail "README.md has no \`\`\`sh block starting with 'make install PREFIX=\$HOME/.local'"
echo "== the README's install block, as printed:"
cat "$tmp/block.sh"

"$build/cxfake" -port 0 >"$tmp/fake.json" 2>"$tmp/fake.err" &
fake=$!
for _ in $(seq 1 200); do [ -s "$tmp/fake.json" ] && break; sleep 0.05; done
line=$(head -n1 "$tmp/fake.json")
url=$(printf '%s' "$line" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
token=$(printf '%s' "$line" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
workspace=$(printf '%s' "$line" | sed -n 's/.*"workspace_id":\([0-9]*\).*/\1/p')
[ -n "$url" ] && [ -n "$token" ] && [ -n "$workspace" ] || fail "cannot parse cxfake's first line: $line $(cat "$tmp/fake.err")"

home="$tmp/home"
mkdir -p "$home"
# A rebuild inside `make install` (if any) keeps the real Go caches, not ones in the
# fresh HOME.
gocache=$(go env GOCACHE) gomodcache=$(go env GOMODCACHE) gopath=$(go env GOPATH)
echo "== running it with HOME=$home"
(
  cd "$top"
  env -u PKG_CONFIG_PATH -u LD_LIBRARY_PATH HOME="$home" \
    GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOPATH="$gopath" \
    CXREPORTS_URL="$url" CXREPORTS_TOKEN="$token" CXREPORTS_WORKSPACE="$workspace" \
    bash -euo pipefail "$tmp/block.sh"
) || fail "the README's install block failed"

prefix="$home/.local"
prog="$home/hello/render_pdf"
[ -f "$prefix/lib/pkgconfig/cxreports.pc" ] || fail "no cxreports.pc in $prefix/lib/pkgconfig"
[ "$(head -c 5 "$home/hello/report.pdf" 2>/dev/null)" = "%PDF-" ] || fail "render_pdf wrote no PDF to ~/hello/report.pdf"
resolved=$(env -u LD_LIBRARY_PATH ldd "$prog" | awk '$1 == "libcxreports.so.1" { print $3 }')
[ "$resolved" = "$prefix/lib/libcxreports.so.1" ] ||
  fail "render_pdf loads libcxreports.so.1 from '$resolved', not from $prefix/lib: $(ldd "$prog")"
echo "== render_pdf wrote a PDF and loads $resolved"

# The README's C fragment, in a main(), on the installed library.
awk '/^```c$/ { inblock = 1; next } inblock && /^```$/ { exit } inblock { print }' "$top/README.md" >"$tmp/fragment.c"
[ -s "$tmp/fragment.c" ] || fail "README.md has no \`\`\`c block"
{
  echo '#include "cxreports.h"'
  echo 'int main(void) {'
  sed -e "s|https://t.cx-reports.app|$url|" -e "s|\\\\\"token\\\\\":\\\\\"...\\\\\"|\\\\\"token\\\\\":\\\\\"$token\\\\\"|" "$tmp/fragment.c"
  echo 'return 0;'
  echo '}'
} >"$tmp/snippet.c"
grep -q "$token" "$tmp/snippet.c" || fail "could not put the fake's token into the README's C fragment"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
(
  cd "$tmp"
  cc -Wall -Wextra -Werror -o snippet snippet.c $(pkg-config --cflags --libs cxreports) -Wl,-rpath,$(pkg-config --variable=libdir cxreports)
  env -u LD_LIBRARY_PATH ./snippet
) || fail "the README's C fragment did not compile or run against the installed library"
[ "$(head -c 5 "$tmp/out.pdf" 2>/dev/null)" = "%PDF-" ] || fail "the README's C fragment wrote no PDF to out.pdf"
echo "== the README's C fragment compiled against $prefix and rendered a PDF"
echo "install.sh: all install checks passed"
