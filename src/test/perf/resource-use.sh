#!/usr/bin/env bash
# Whole-process resource use of the exporter as packaged, beside Debian's node_exporter in
# the same window: CPU seconds over a steady-state window at one scrape a second, peak and
# final resident memory, then scrape throughput and latency under wrk.
#
#   src/test/perf/resource-use.sh [SECONDS] [JAR]
#
# SECONDS is the measured window (default 90), after a 30 s warm-up. The exporter runs
# through debian/sysload-exporter.launcher, so with the JVM flags the package ships
# (JAVA_OPTS may add more). Needs: prometheus-node-exporter, wrk, curl. Loopback only;
# every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../../.."

WINDOW=${1:-90}
JAR=${2:-target/sysload-exporter.jar}
WARMUP=${WARMUP:-30}
EXPORTER_PORT=${EXPORTER_PORT:-29858}
NODE_PORT=${NODE_PORT:-29100}
WRK_ARGS=${WRK_ARGS:--t2 -c16 -d10s}

for tool in prometheus-node-exporter wrk curl; do
    command -v "$tool" >/dev/null || { echo "resource-use: $tool is missing" >&2; exit 2; }
done
[ -s "$JAR" ] || { echo "resource-use: no $JAR (mvn -B -DskipTests package)" >&2; exit 2; }

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

SYSLOAD_EXPORTER_JAR="$JAR" sh debian/sysload-exporter.launcher \
    --web.listen-address=127.0.0.1:$EXPORTER_PORT >/dev/null 2>&1 &
exporter=$!
pids+=("$exporter")
prometheus-node-exporter --web.listen-address=127.0.0.1:$NODE_PORT >/dev/null 2>&1 &
node=$!
pids+=("$node")

# 1 scrape a second of each, for the whole run.
(
    while true; do
        curl -s -o /dev/null "http://127.0.0.1:$EXPORTER_PORT/metrics" || true
        curl -s -o /dev/null "http://127.0.0.1:$NODE_PORT/metrics" || true
        sleep 1
    done
) &
pids+=("$!")

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

sleep "$WARMUP"
e0=$(cpu_ticks "$exporter"); n0=$(cpu_ticks "$node")
sleep "$WINDOW"
e1=$(cpu_ticks "$exporter"); n1=$(cpu_ticks "$node")

row() { # name pid ticks0 ticks1
    printf '%-16s %12s %12s %12s %8s\n' "$1" \
        "$(awk -v a="$3" -v b="$4" -v hz="$hz" 'BEGIN {printf "%.2f", (b - a) / hz}')" \
        "$(awk -v k="$(kb "$2" VmHWM)" 'BEGIN {printf "%.1f", k / 1024}')" \
        "$(awk -v k="$(kb "$2" VmRSS)" 'BEGIN {printf "%.1f", k / 1024}')" \
        "$(awk '$1 == "Threads:" {print $2}' "/proc/$2/status")"
}
echo "window ${WINDOW}s after ${WARMUP}s warm-up, 1 scrape/s each, $(nproc) CPUs"
printf '%-16s %12s %12s %12s %8s\n' process cpu_seconds peak_rss_mb rss_mb threads
row sysload-exporter "$exporter" "$e0" "$e1"
row node_exporter "$node" "$n0" "$n1"

for target in "sysload-exporter $EXPORTER_PORT" "node_exporter $NODE_PORT"; do
    set -- $target
    echo "--- wrk $WRK_ARGS --latency http://127.0.0.1:$2/metrics ($1)"
    # shellcheck disable=SC2086
    wrk $WRK_ARGS --latency "http://127.0.0.1:$2/metrics" |
        grep -E 'Requests/sec|Non-2xx|Socket errors| 99%| 50%'
done
echo "sysload-exporter after wrk: rss $(awk -v k="$(kb "$exporter" VmRSS)" 'BEGIN {printf "%.1f", k / 1024}') MB"
