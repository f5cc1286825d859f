#!/usr/bin/env bash
# Usage: bindings/java/scripts/test-user-project.sh JAR SOURCES_JAR POM
# A user's first day with the Java library, on Java 17 and on Java 25 (scripts/jdk.sh):
#  1. install dist's jar, sources jar and pom into a local Maven repository that is EMPTY
#     (a fresh folder; checked to hold nothing before, and exactly dist's jar after) with
#     README.md's `mvn install:install-file` line, as printed;
#  2. build bindings/java/user-project (copied to a temporary folder), a fresh Maven
#     project that depends only on com.cxreports:cxreports:<version>: JNA and Jackson
#     come through our pom. The top-level README.md's ```java block goes into the same
#     project as printed (its own class, default package), so it compiles as users copy it;
#  3. run both against `build/cxfake -ids guid`: UserProject lists the workspaces, saves a
#     PDF and catches NotFoundException with status 404 for report 999999; the README
#     example prints its line and leaves report.pdf.
# What comes from Maven Central (JNA, Jackson, Maven's plugins) is taken from build/m2,
# the repository the library's own build filled, when it is there (CXREPORTS_M2_CACHE,
# searched before Central), and downloaded otherwise; never com.cxreports.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
scripts="$top/bindings/java/scripts"
jar=$(realpath "${1:?usage: test-user-project.sh JAR SOURCES_JAR POM}")
srcjar=$(realpath "${2:?usage}")
pom=$(realpath "${3:?usage}")
fake="$top/build/cxfake"
[ -x "$fake" ] || { echo "test-user-project: $fake is missing; run 'make build-go'" >&2; exit 2; }
version=$(python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); print(r.find("{http://maven.apache.org/POM/4.0.0}version").text)' "$pom")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxreports-java-user.XXXXXX")
fake_pid=""
cleanup() {
  [ -z "$fake_pid" ] || { kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test-user-project: $*" >&2; exit 1; }

export CXREPORTS_M2_CACHE="$top/build/m2"
[ -d "$CXREPORTS_M2_CACHE" ] || unset CXREPORTS_M2_CACHE
[ ! -d "${CXREPORTS_M2_CACHE:-/nonexistent}/com/cxreports" ] || fail "$CXREPORTS_M2_CACHE holds com/cxreports: it must not be a source of our own artifact"
repo="$tmp/repo"
mkdir "$repo"
mvn() { "$scripts/mvn.sh" "$repo" -q "$@"; }

# The README's one ```java block, saved as printed under the name of its public class.
readme_src="$tmp/readme-example"
mkdir "$readme_src"
python3 - "$top/README.md" "$readme_src" <<'PY'
import pathlib, re, sys
blocks = re.findall(r"```java\n(.*?)```", pathlib.Path(sys.argv[1]).read_text(), re.S)
if len(blocks) != 1:
    sys.exit(f"README.md should have exactly one ```java block, has {len(blocks)}")
m = re.search(r"^public (?:final )?class (\w+)", blocks[0], re.M)
if not m:
    sys.exit("README.md's ```java block has no public class")
(pathlib.Path(sys.argv[2]) / f"{m.group(1)}.java").write_text(blocks[0])
PY
readme_class=$(basename "$readme_src"/*.java .java)

info="$tmp/fake.json"
"$fake" -port 0 -ids guid >"$info" &
fake_pid=$!
for _ in $(seq 100); do [ -s "$info" ] && break; sleep 0.05; done
field() { python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())[sys.argv[2]])' "$info" "$1"; }
url=$(field url)
token=$(field token)
[ "$(field ids)" = guid ] || fail "the fake does not serve GUID ids"

installed="$repo/com/cxreports/cxreports/$version"
for v in 17 25; do
  jh=$("$scripts/jdk.sh" "$v")
  export JAVA_HOME="$jh"
  if [ "$v" = 17 ]; then
    [ -z "$(ls -A "$repo")" ] || fail "the local repository is not empty before the install"
    # README.md's install line as printed (from the top folder, where its dist/ paths
    # point), with our Maven wrapper for its `mvn` so that it fills the empty repository.
    line=$(grep -E '^mvn install:install-file ' "$top/README.md") || fail "README.md has no 'mvn install:install-file' line"
    [ "$(printf '%s\n' "$line" | wc -l)" = 1 ] || fail "README.md has more than one 'mvn install:install-file' line"
    [[ $line == *"-Dfile=dist/cxreports-$version.jar "* ]] || fail "README.md's install line is not for version $version: $line"
    (cd "$top" && eval "mvn ${line#mvn }") || fail "README.md's install line failed: $line"
    cmp -s "$jar" "$installed/cxreports-$version.jar" || fail "install-file did not put $jar at $installed"
    cmp -s "$srcjar" "$installed/cxreports-$version-sources.jar" || fail "install-file did not put $srcjar at $installed"
    [ "$(ls "$repo/com/cxreports")" = cxreports ] || fail "the repository holds more of com.cxreports than the one artifact"
  fi
  proj="$tmp/project-$v"
  mkdir -p "$proj"
  cp -r "$top/bindings/java/user-project/pom.xml" "$top/bindings/java/user-project/src" "$proj/"
  cp "$readme_src/$readme_class.java" "$proj/src/main/java/"
  mvn -f "$proj/pom.xml" -Dcxreports.version="$version" package \
    org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath -Dmdep.outputFile="$proj/cp.txt"
  cp=$(cat "$proj/cp.txt")
  # The project resolved our artifact from the install above, and JNA through our pom.
  tr ':' '\n' <"$proj/cp.txt" | grep -qx "$installed/cxreports-$version.jar" || fail "classpath lacks $installed/cxreports-$version.jar: $cp"
  tr ':' '\n' <"$proj/cp.txt" | grep -q '/net/java/dev/jna/jna/' || fail "classpath lacks JNA: $cp"
  [ "$(cd "$repo/com/cxreports" && ls -d */)" = "cxreports/" ] || fail "the build fetched more of com.cxreports than it was given"

  run="$tmp/run-$v"
  mkdir "$run"
  # The library loads the jar's own libcxreports.so: no override from the environment.
  (cd "$run" && env -u CXREPORTS_LIB CXREPORTS_URL="$url" CXREPORTS_TOKEN="$token" \
    "$jh/bin/java" -cp "$proj/target/classes:$cp" com.example.app.UserProject user.pdf >"$run/user.out" 2>"$run/user.err") ||
    fail "UserProject on Java $v failed: $(cat "$run/user.out" "$run/user.err")"
  [ "$(head -c5 "$run/user.pdf")" = "%PDF-" ] || fail "Java $v: user.pdf is not a PDF"
  grep -qx 'report 999999: NotFoundException, status 404' "$run/user.out" || fail "Java $v: no 404: $(cat "$run/user.out")"
  grep -qx "java $v: ok" "$run/user.out" || fail "Java $v: UserProject did not finish on Java $v: $(cat "$run/user.out")"
  (cd "$run" && env -u CXREPORTS_LIB CXREPORTS_URL="$url" CXREPORTS_TOKEN="$token" \
    "$jh/bin/java" -cp "$proj/target/classes:$cp" "$readme_class" >"$run/readme.out" 2>"$run/readme.err") ||
    fail "README.md's Java example on Java $v failed: $(cat "$run/readme.out" "$run/readme.err")"
  [ "$(head -c5 "$run/report.pdf")" = "%PDF-" ] || fail "Java $v: the README example left no report.pdf"
  grep -Eq '^[0-9]+ workspaces, [0-9]+ bytes in memory, report\.pdf on disk$' "$run/readme.out" ||
    fail "Java $v: the README example printed: $(cat "$run/readme.out")"
  grep -qx 'no report 999999: 404' "$run/readme.out" || fail "Java $v: the README example printed: $(cat "$run/readme.out")"
  echo "test-user-project: Java $v ($jh): fresh project on com.cxreports:cxreports:$version from an empty repository: ok; README example: ok"
done
