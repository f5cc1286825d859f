#!/usr/bin/env bash
# Usage: bindings/java/scripts/test-junit.sh 17|25 LOCAL_REPO NATIVE_DIR CXFAKE
# The java lane's JUnit suite (mvn test) with Maven and the forked test JVM on that JDK,
# then a look at surefire's reports: at least one test ran, none failed, and the JVM that
# ran them was that Java (a JAVA_HOME Maven did not use would otherwise go unnoticed).
# The library loads from target/classes, where Maven copied NATIVE_DIR; any CXREPORTS_LIB
# in the caller's environment is dropped.
set -euo pipefail
v=${1:?usage: test-junit.sh 17|25 LOCAL_REPO NATIVE_DIR CXFAKE}
repo=${2:?usage}; native=${3:?usage}; fake=${4:?usage}
here=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$here/scripts/jdk.sh" "$v")
export JAVA_HOME
unset CXREPORTS_LIB
reports="$here/target/surefire-reports"
rm -rf "$reports"
start=$(date +%s)
"$here/scripts/mvn.sh" "$repo" -q -f "$here/pom.xml" -Dcxreports.native.dir="$native" -Dcxfake="$fake" \
  -DfailIfNoTests=true test
python3 - "$reports" "$v" "$(($(date +%s) - start))" <<'PY'
import glob, sys, xml.etree.ElementTree as E
folder, want, secs = sys.argv[1:]
files = glob.glob(folder + "/TEST-*.xml")
if not files:
    sys.exit(f"test-junit: no surefire report in {folder}: did any test run?")
tests = failed = skipped = 0
for f in files:
    r = E.parse(f).getroot()
    tests += int(r.get("tests", 0))
    failed += int(r.get("failures", 0)) + int(r.get("errors", 0))
    skipped += int(r.get("skipped", 0))
    props = {p.get("name"): p.get("value") for p in r.iter("property")}
    got = props.get("java.specification.version")
    if got != want:
        sys.exit(f"test-junit: {f} ran on Java {got}, want {want}")
if tests == 0 or failed:
    sys.exit(f"test-junit: {tests} tests, {failed} failed")
if skipped:
    sys.exit(f"test-junit: {skipped} tests skipped; the suite runs every test (README)")
print(f"test-junit: Java {want}: {tests} tests in {len(files)} classes passed ({secs} s)")
PY
