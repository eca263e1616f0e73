#!/usr/bin/env bash
# Regenerates debian/sysload-exporter.classlist, the list of classes that the package's
# postinst dumps into the class-data-sharing archive /var/cache/sysload-exporter/
# sysload-exporter.jsa (see the comment in debian/sysload-exporter.launcher).
#
#   mvn -B -q package -DskipTests && bash src/test/cds/update-classlist.sh
#
# It builds nothing: it runs target/sysload-exporter.jar through the package's launcher,
# with the packaged JVM flags and -XX:DumpLoadedClassList, on a free loopback port; waits
# until the first sample is served; scrapes / once, /metrics in the OpenMetrics format once
# and /metrics in the text format every half second for about 3 s, so that the classes of
# every path a scrape takes are listed; stops it with SIGTERM and writes what it loaded.
# Run it after a change in what the exporter loads (new code, new or upgraded libraries,
# another JDK); ClassListTest fails when the committed list falls behind the code.
#
# Needs: the default "java" (the one the archive is dumped with), curl.
set -euo pipefail
cd "$(dirname "$0")/../../.."

JAR=${JAR:-target/sysload-exporter.jar}
OUT=debian/sysload-exporter.classlist

die() { echo "update-classlist: $*" >&2; exit 1; }
command -v curl >/dev/null || die "curl missing (apt-get install curl)"
[ -s "$JAR" ] || die "$JAR missing (mvn -B -q package -DskipTests)"

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port: the first of a range that nothing answers on.
port=
for p in $(seq 39958 40058); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || die "no free port in 39958..40058"
base=http://127.0.0.1:$port

# The packaged flags and the default java, as postinst dumps with; no archive, so that the
# run loads every class itself.
env -u JAVA_HOME -u JAVA_DEFAULT_OPTS SYSLOAD_EXPORTER_JAR="$JAR" SYSLOAD_EXPORTER_CDS_ARCHIVE= \
    JAVA_OPTS="-XX:DumpLoadedClassList=$work/loaded.lst" \
    sh debian/sysload-exporter.launcher --web.listen-address="127.0.0.1:$port" \
    >"$work/exporter.log" 2>&1 &
pid=$!

# Until the first sample is out (two readings, one refresh interval apart).
for _ in $(seq 150); do
    if curl -fsS "$base/metrics" 2>/dev/null | grep -q '^sysload_sysload '; then break; fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/exporter.log" >&2; die "the exporter exited"; }
    sleep 0.1
done
curl -fsS -o /dev/null "$base/metrics" || { cat "$work/exporter.log" >&2; die "no answer on $base"; }

curl -fsS -o /dev/null "$base/" || die "$base/ failed"
curl -fsS -o /dev/null -H 'Accept: application/openmetrics-text' "$base/metrics" ||
    die "OpenMetrics scrape failed"
for _ in $(seq 6); do
    sleep 0.5
    curl -fsS -o /dev/null "$base/metrics" || die "scrape of $base/metrics failed"
done

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" = 0 ] || { cat "$work/exporter.log" >&2; die "the exporter exited with status $status"; }
[ -s "$work/loaded.lst" ] || die "the JVM wrote no class list"

# The JVM's own header is replaced by ours. Dynamic proxies ($ProxyN) are generated at run
# time and cannot be found at dump time; leaving them out spares postinst those warnings.
{
    echo "# Classes that sysload-exporter loads, written by src/test/cds/update-classlist.sh"
    echo "# from a run of target/sysload-exporter.jar on Java $(java -version 2>&1 | sed -n '2s/.*(build \(.*\)).*/\1/p')."
    echo "# postinst dumps them into /var/cache/sysload-exporter/sysload-exporter.jsa"
    echo "# (java -Xshare:dump -XX:SharedClassListFile=...). Regenerate it with:"
    echo "#   mvn -B -q package -DskipTests && bash src/test/cds/update-classlist.sh"
    grep -v -e '^#' -e '/\$Proxy[0-9]*$' "$work/loaded.lst"
} >"$work/classlist"
mv "$work/classlist" "$OUT"
echo "update-classlist: $OUT: $(grep -vc '^#' "$OUT") entries ($(grep -c '^@' "$OUT") of them lambda lines)"
