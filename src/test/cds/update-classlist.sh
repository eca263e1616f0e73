#!/usr/bin/env bash
# Regenerates debian/sysload-exporter.classlist, the list of classes that the package's
# postinst dumps into the class-data-sharing archive /var/cache/sysload-exporter/
# sysload-exporter.jsa (see the comment in debian/sysload-exporter.launcher).
#
#   mvn -B -q package -DskipTests && bash src/test/cds/update-classlist.sh
#
# It builds nothing: it runs target/sysload-exporter.jar through the package's launcher,
# with the packaged JVM flags and -XX:DumpLoadedClassList, on a free loopback port, its stderr
# standing for the journal as under systemd (JOURNAL_STREAM naming it: no log timestamps);
# waits until the first sample is served; scrapes / once, /metrics in the OpenMetrics format
# gzipped once (as Prometheus asks) and /metrics in the text format every half second for
# about 3 s, so that the classes of every path a scrape takes are listed; stops it with
# SIGTERM and writes what it loaded.
# Run it after a change in what the exporter loads (new code, new or upgraded libraries,
# another JDK); ClassListIT fails when the committed list falls behind the code.
#
# Needs: the default "java" (the one the archive is dumped with), curl.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"

JAR=${JAR:-target/sysload-exporter.jar}
OUT=debian/sysload-exporter.classlist

command -v curl >/dev/null || die "curl missing (apt-get install curl)"
[ -s "$JAR" ] || die "$JAR missing (mvn -B -q package -DskipTests)"

port=$(free_port)
base=http://127.0.0.1:$port

# The packaged flags and the default java, as postinst dumps with; no archive, so that the
# run loads every class itself.
unset JAVA_HOME JAVA_DEFAULT_OPTS
# The package runs under systemd, whose journal stamps the lines: the exporter then loads no
# date formatting. systemd names the stream by device and inode; here the log file stands for it.
: >"$WORK/exporter.log"
JOURNAL_STREAM=$(stat -c %d:%i "$WORK/exporter.log") \
    JAVA_OPTS="-XX:DumpLoadedClassList=$WORK/loaded.lst" SYSLOAD_EXPORTER_CDS_ARCHIVE='' \
    start_exporter "$JAR" "$WORK/exporter.log" --web.listen-address="127.0.0.1:$port"
pid=$EXPORTER_PID
wait_first_sample "$base/metrics" "$pid" "$WORK/exporter.log" 15

curl -fsS -o /dev/null "$base/" || die "$base/ failed"
curl -fsS -o /dev/null --compressed -H 'Accept: application/openmetrics-text' "$base/metrics" ||
    die "OpenMetrics scrape failed"
for _ in $(seq 6); do
    sleep 0.5
    curl -fsS -o /dev/null "$base/metrics" || die "scrape of $base/metrics failed"
done

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" = 0 ] || { cat "$WORK/exporter.log" >&2; die "the exporter exited with status $status"; }
[ -s "$WORK/loaded.lst" ] || die "the JVM wrote no class list"

# The JVM's own header is replaced by ours. Dynamic proxies ($ProxyN) are generated at run
# time and cannot be found at dump time; leaving them out spares postinst those warnings.
{
    echo "# Classes that sysload-exporter loads, written by src/test/cds/update-classlist.sh"
    echo "# from a run of target/sysload-exporter.jar on Java $(java -version 2>&1 | sed -n '2s/.*(build \(.*\)).*/\1/p')."
    echo "# postinst dumps them into /var/cache/sysload-exporter/sysload-exporter.jsa"
    echo "# (java -Xshare:dump -XX:SharedClassListFile=...). Regenerate it with:"
    echo "#   mvn -B -q package -DskipTests && bash src/test/cds/update-classlist.sh"
    # shellcheck disable=SC2016 # a literal $ in a regular expression
    grep -v -e '^#' -e '/\$Proxy[0-9]*$' "$WORK/loaded.lst"
} >"$WORK/classlist"
mv "$WORK/classlist" "$OUT"
echo "update-classlist: $OUT: $(grep -vc '^#' "$OUT") entries ($(grep -c '^@' "$OUT") of them lambda lines)"
