#!/usr/bin/env bash
# Load test of the packaged jar: 64 concurrent scrapers for 30 s (wrk), loopback only. The
# exporter runs through the package's launcher, so with the JVM flags the package ships.
# Passes when wrk saw no socket error and no non-2xx response, and the exporter's RSS
# (VmRSS of /proc/PID/status, sampled every second) stayed at or below RSS_LIMIT_KB: by
# default 72 MiB, above the 66 MB that README "Resource use" measured under this load, so
# that it catches growth, not the JVM's usual working set.
#
#   mvn -B -q package -DskipTests && bash src/test/load/load-test.sh
#
# JVM_DEFAULTS=1 runs the jar as `java -jar` would, with none of the package's flags and no
# class-data archive of its own, to show what the JVM's defaults cost under this load; the
# memory bound is then off (RSS_LIMIT_KB still sets one).
#
# Needs: wrk (Debian package wrk). Cleans up every process it starts.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"

JAR=${JAR:-target/sysload-exporter.jar}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
JVM_DEFAULTS=${JVM_DEFAULTS:-0}
if [ "$JVM_DEFAULTS" = 1 ]; then
    RSS_LIMIT_KB=${RSS_LIMIT_KB:-999999999}
else
    RSS_LIMIT_KB=${RSS_LIMIT_KB:-73728} # 72 MiB
fi

need wrk

port=$(free_port)
url="http://127.0.0.1:$port/metrics"
if [ "$JVM_DEFAULTS" = 1 ]; then
    java -jar "$JAR" --web.listen-address="127.0.0.1:$port" >"$WORK/exporter.log" 2>&1 &
    EXPORTER_PID=$!
    on_exit stop_process "$EXPORTER_PID"
else
    start_exporter "$JAR" "$WORK/exporter.log" --web.listen-address="127.0.0.1:$port"
fi
pid=$EXPORTER_PID
wait_first_sample "$url" "$pid" "$WORK/exporter.log"

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
rss_start=$(rss)
(
    while kill -0 "$pid" 2>/dev/null; do rss >>"$WORK/rss.txt" 2>/dev/null || true; sleep 1; done
) &
sampler=$!
on_exit stop_process "$sampler"

wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url" | tee "$WORK/wrk.txt"
stop_process "$sampler"

rss_end=$(rss)
max=$(sort -n "$WORK/rss.txt" | tail -1)
[ -n "$max" ] || max=$rss_end
requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WORK/wrk.txt")
socket_errors=$(awk '/Socket errors:/ {print}' "$WORK/wrk.txt")
alive=yes
kill -0 "$pid" 2>/dev/null || alive=no

echo "load-test: requests=$requests non2xx=${non2xx:-0} socket_errors='${socket_errors:-none}'" \
     "rss_start_kb=$rss_start rss_max_kb=$max rss_end_kb=$rss_end limit_kb=$RSS_LIMIT_KB alive=$alive"

# Every broken goal is named, not only the first.
failed=()
[ -z "$non2xx" ] || failed+=("$non2xx non-2xx responses")
[ -z "$socket_errors" ] || failed+=("$socket_errors")
[ "$max" -le "$RSS_LIMIT_KB" ] || failed+=("RSS reached $max kB > $RSS_LIMIT_KB kB")
[ "$alive" = yes ] || failed+=("the exporter died")
[ "${requests:-0}" -gt 0 ] || failed+=("no request completed")
if [ "${#failed[@]}" != 0 ]; then
    failures=$(printf '%s; ' "${failed[@]}")
    die "FAIL: ${failures%; }"
fi
echo "load-test: PASS"
