#!/usr/bin/env bash
# Usage: bindings/java/scripts/mvn.sh LOCAL_REPO [MVN ARGS...]
# Runs the machine's Maven in batch mode with LOCAL_REPO as its local repository (make
# passes build/m2), so neither CI nor the user's ~/.m2 is read or written, and with a
# settings file of its own that carries the proxy of the environment: Maven ignores
# http_proxy/https_proxy, and a company proxy (.ci/run starts one) is the only way out.
# Loopback always bypasses it. JAVA_HOME picks the JDK Maven runs on.
# CXREPORTS_M2_CACHE=DIR adds DIR, a local repository filled earlier (build/m2), as a
# repository searched before Maven Central: a fresh LOCAL_REPO then copies what it can
# from there instead of downloading it again (test-user-project.sh).
set -euo pipefail
repo=${1:?usage: mvn.sh LOCAL_REPO [MVN ARGS...]}
shift
command -v mvn >/dev/null || { echo "mvn.sh: Maven is missing: apt-get install maven" >&2; exit 2; }
settings=$(mktemp "${TMPDIR:-/tmp}/cxreports-m2-settings.XXXXXX")
trap 'rm -f "$settings"' EXIT
proxies=""
for proto in http https; do
  lower="${proto}_proxy"; upper="${proto^^}_PROXY"
  url=${!lower:-${!upper:-}}
  [ -n "$url" ] || continue
  # http://[user:pass@]host:port[/]: Maven wants the parts. A password stays out of argv.
  hostport=${url#*://}; hostport=${hostport%%/*}
  auth=""; [[ $hostport == *@* ]] && { auth=${hostport%@*}; hostport=${hostport##*@}; }
  host=${hostport%:*}; port=${hostport##*:}; [ "$port" != "$hostport" ] || port=80
  creds=""
  [ -n "$auth" ] && creds="<username>${auth%%:*}</username><password>${auth#*:}</password>"
  proxies+="<proxy><id>env-$proto</id><active>true</active><protocol>$proto</protocol><host>$host</host><port>$port</port>$creds<nonProxyHosts>localhost|127.0.0.1|::1</nonProxyHosts></proxy>"
done
profiles=""
if [ -n "${CXREPORTS_M2_CACHE:-}" ]; then
  [ -d "$CXREPORTS_M2_CACHE" ] || { echo "mvn.sh: CXREPORTS_M2_CACHE=$CXREPORTS_M2_CACHE is not a folder" >&2; exit 2; }
  repo_xml="<id>cache</id><url>file://$(cd "$CXREPORTS_M2_CACHE" && pwd)</url><snapshots><enabled>false</enabled></snapshots>"
  profiles="<profiles><profile><id>cache</id><repositories><repository>$repo_xml</repository></repositories><pluginRepositories><pluginRepository>$repo_xml</pluginRepository></pluginRepositories></profile></profiles><activeProfiles><activeProfile>cache</activeProfile></activeProfiles>"
fi
printf '<settings><proxies>%s</proxies>%s</settings>\n' "$proxies" "$profiles" >"$settings"
# Maven 3.8's Guava calls sun.misc.Unsafe, which Java 24 and later warn about on every
# run; the option that allows it quietly exists only there (JEP 498).
if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
fi
# Debian's Maven 3.8 prints bare colour resets (ESC[0m) even in batch mode with colours off.
mvn -B -Dstyle.color=never -s "$settings" -Dmaven.repo.local="$repo" "$@" 2> >(sed -u 's/\x1b\[0m//g' >&2) | sed -u 's/\x1b\[0m//g'

