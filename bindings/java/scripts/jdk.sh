#!/usr/bin/env bash
# Usage: bindings/java/scripts/jdk.sh 17|25
# Prints the home of the JDK of that feature release, the one the Java build and tests
# run on: JAVA17_HOME / JAVA25_HOME when set, else the usual Debian (openjdk-17-jdk) or
# Adoptium (temurin-25-jdk) install under /usr/lib/jvm. Fails with what to install, so
# that a machine without it fails test-java instead of testing on one JDK only.
set -euo pipefail
want=${1:?usage: jdk.sh 17|25}
var="JAVA${want}_HOME"
candidates=()
if [ -n "${!var:-}" ]; then
  candidates=("${!var}")
else
  shopt -s nullglob
  candidates=(/usr/lib/jvm/java-"$want"-openjdk-* /usr/lib/jvm/temurin-"$want"-jdk-* /usr/lib/jvm/jdk-"$want"*)
fi
for home in "${candidates[@]}"; do
  [ -x "$home/bin/javac" ] || continue
  # "17.0.15" or "25.0.3": the feature release is the number before the first dot.
  v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  if [ "$v" = "$want" ]; then
    echo "$home"
    exit 0
  fi
  [ -n "${!var:-}" ] && { echo "jdk.sh: $var=$home is Java ${v:-unknown}, not $want" >&2; exit 1; }
done
case $want in
  17) hint="apt-get install openjdk-17-jdk-headless" ;;
  25) hint="install Temurin 25 (apt-get install temurin-25-jdk from https://packages.adoptium.net/artifactory/deb)" ;;
  *) hint="install a JDK $want" ;;
esac
echo "jdk.sh: no JDK $want found (looked in ${candidates[*]:-/usr/lib/jvm}); $hint, or set $var to its home" >&2
exit 1
