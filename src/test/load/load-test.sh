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

command -v wrk >/dev/null || { echo "load-test: wrk missing (apt-get install wrk)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "load-test: $JAR missing (mvn -B package)" >&2; exit 2; }

work=$WORK
port=$(free_port)
url="http://127.0.0.1:$port/metrics"
if [ "$JVM_DEFAULTS" = 1 ]; then
    java -jar "$JAR" --web.listen-address="127.0.0.1:$port" >"$work/exporter.log" 2>&1 &
    EXPORTER_PID=$!
    on_exit stop_process "$EXPORTER_PID"
else
    start_exporter "$JAR" "$work/exporter.log" --web.listen-address="127.0.0.1:$port"
fi
pid=$EXPORTER_PID
wait_first_sample "$url" "$pid" "$work/exporter.log"

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
rss_start=$(rss)
max=$rss_start
(
    while kill -0 "$pid" 2>/dev/null; do rss >>"$work/rss.txt" 2>/dev/null || true; sleep 1; done
) &
sampler=$!

wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url" | tee "$work/wrk.txt"
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true

rss_end=$(rss)
max=$(sort -n "$work/rss.txt" | tail -1)
[ -n "$max" ] || max=$rss_end
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/wrk.txt")
socket_errors=$(awk '/Socket errors:/ {print}' "$work/wrk.txt")
alive=yes
kill -0 "$pid" 2>/dev/null || alive=no

echo "load-test: requests=$requests non2xx=${non2xx:-0} socket_errors='${socket_errors:-none}'" \
     "rss_start_kb=$rss_start rss_max_kb=$max rss_end_kb=$rss_end limit_kb=$RSS_LIMIT_KB alive=$alive"

fail=0
[ -z "$non2xx" ] || { echo "load-test: FAIL: $non2xx non-2xx responses" >&2; fail=1; }
[ -z "$socket_errors" ] || { echo "load-test: FAIL: $socket_errors" >&2; fail=1; }
[ "$max" -le "$RSS_LIMIT_KB" ] || { echo "load-test: FAIL: RSS reached $max kB > $RSS_LIMIT_KB kB" >&2; fail=1; }
[ "$alive" = yes ] || { echo "load-test: FAIL: the exporter died" >&2; fail=1; }
[ "${requests:-0}" -gt 0 ] || { echo "load-test: FAIL: no request completed" >&2; fail=1; }
if [ "$fail" = 0 ]; then echo "load-test: 1 passed, 0 failed"; else echo "load-test: 0 passed, 1 failed"; fi
exit "$fail"
