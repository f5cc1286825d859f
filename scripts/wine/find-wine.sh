# Sourced by the scripts in scripts/wine/: sets WINE64 to Debian's wine64 binary, which
# the wine64 package installs outside PATH (/usr/lib/wine/wine64), and WINESERVER to the
# server beside it; exits with the package to install when there is none.
WINE64=""
for c in "${WINE64_BIN:-}" "$(command -v wine64 2>/dev/null || true)" /usr/lib/wine/wine64 \
  "$(dpkg -L wine64 2>/dev/null | grep -m1 '/wine64$' || true)"; do
  if [ -n "$c" ] && [ -x "$c" ] && [ ! -d "$c" ]; then WINE64=$c; break; fi
done
if [ -z "$WINE64" ]; then
  echo "wine: wine64 not found; install it: apt-get install --no-install-recommends wine64" >&2
  exit 1
fi
WINESERVER=""
for c in "$(dirname "$WINE64")/wineserver" "$(dirname "$WINE64")/wineserver64" "$(command -v wineserver 2>/dev/null || true)"; do
  if [ -n "$c" ] && [ -x "$c" ]; then WINESERVER=$c; break; fi
done
# CX_WINEDEBUG: Wine debug channels for a person investigating (e.g. +winsock); else quiet.
export WINEDEBUG=${CX_WINEDEBUG:--all}
# No Mono or Gecko: nothing here needs .NET or HTML, and wineboot would try to fetch them.
export WINEDLLOVERRIDES="mscoree,mshtml="
