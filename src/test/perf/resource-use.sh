#!/usr/bin/env bash
# Whole-process resource use of the exporter as packaged, beside Debian's node_exporter in
# the same window: CPU seconds over a steady-state window at one scrape a second, peak and
# final resident memory, then scrape throughput and latency under wrk.
#
#   src/test/perf/resource-use.sh [SECONDS] [JAR]
#
# SECONDS is the measured window (default 90), after a warm-up (WARMUP, default 30 s; the
# performance goal is read after 10 minutes: WARMUP=510 with a 90 s window). The exporter
# runs through debian/sysload-exporter.launcher, so with the JVM flags the package ships
# (JAVA_OPTS may add more), and with a class-data archive dumped from the package's class
# list for this jar by the package's own dump script (CDS=0 runs without one).
#
# SCRAPER=prometheus (default): Debian's Prometheus scrapes both exporters every second, as
# in production (one kept-alive connection per target). SCRAPER=curl: a new connection per
# scrape, the costlier case for an HTTP server. Needs: prometheus, prometheus-node-exporter,
# wrk, curl. Loopback only; every process it starts is stopped on exit.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"

WINDOW=${1:-90}
JAR=${2:-target/sysload-exporter.jar}
WARMUP=${WARMUP:-30}
SCRAPER=${SCRAPER:-prometheus}
CDS=${CDS:-1}
EXPORTER_PORT=${EXPORTER_PORT:-$(free_port)}
NODE_PORT=${NODE_PORT:-$(free_port "$EXPORTER_PORT")}
PROMETHEUS_PORT=${PROMETHEUS_PORT:-$(free_port "$EXPORTER_PORT" "$NODE_PORT")}
WRK_ARGS=${WRK_ARGS:--t2 -c16 -d10s}

for tool in prometheus prometheus-node-exporter wrk curl; do
    command -v "$tool" >/dev/null || { echo "resource-use: $tool is missing" >&2; exit 2; }
done
[ -s "$JAR" ] || { echo "resource-use: no $JAR (mvn -B -DskipTests package)" >&2; exit 2; }
case $SCRAPER in prometheus|curl) ;; *) echo "resource-use: SCRAPER is prometheus or curl" >&2; exit 2 ;; esac

work=$WORK
archive=
if [ "$CDS" = 1 ]; then
    # What postinst does, for this jar at its path here.
    archive=$work/sysload-exporter.jsa
    dump_cds debian/sysload-exporter.classlist "$JAR" "$archive"
fi

SYSLOAD_EXPORTER_CDS_ARCHIVE="$archive" start_exporter "$JAR" /dev/null \
    --web.listen-address="127.0.0.1:$EXPORTER_PORT"
exporter=$EXPORTER_PID
prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_PORT" >/dev/null 2>&1 &
node=$!
on_exit stop_process "$node"

# 1 scrape a second of each, for the whole run.
if [ "$SCRAPER" = prometheus ]; then
    cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: sysload
    static_configs: [{targets: ['127.0.0.1:$EXPORTER_PORT']}]
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:$NODE_PORT']}]
YAML
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
        --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$work/prometheus.log" 2>&1 &
    on_exit stop_process "$!"
else
    scrape_every_second "http://127.0.0.1:$EXPORTER_PORT/metrics" "http://127.0.0.1:$NODE_PORT/metrics"
fi

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
echo "window ${WINDOW}s after ${WARMUP}s warm-up, 1 scrape/s each by $SCRAPER, $(nproc) CPUs," \
    "class-data archive: $([ -n "$archive" ] && echo yes || echo no)"
printf '%-16s %12s %12s %12s %8s\n' process cpu_seconds peak_rss_mb rss_mb threads
row sysload-exporter "$exporter" "$e0" "$e1"
row node_exporter "$node" "$n0" "$n1"

if [ "$SCRAPER" = prometheus ]; then
    # Prometheus's own view: every scrape of the window succeeded, and how long each took.
    q='avg_over_time(scrape_duration_seconds['"$WINDOW"'s]) * 1000'
    curl -s "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" --data-urlencode "query=$q" |
        python3 -c 'import json,sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("prometheus: job %s mean scrape duration %.2f ms" % (r["metric"]["job"], float(r["value"][1])))'
    q='count_over_time(up['"$WINDOW"'s]) - sum_over_time(up['"$WINDOW"'s])'
    curl -s "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" --data-urlencode "query=$q" |
        python3 -c 'import json,sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("prometheus: job %s failed scrapes in the window: %s" % (r["metric"]["job"], r["value"][1]))'
fi

for target in "sysload-exporter $EXPORTER_PORT" "node_exporter $NODE_PORT"; do
    read -r name port <<<"$target"
    echo "--- wrk $WRK_ARGS --latency http://127.0.0.1:$port/metrics ($name)"
    # shellcheck disable=SC2086 # WRK_ARGS is a list of words
    wrk $WRK_ARGS --latency "http://127.0.0.1:$port/metrics" |
        grep -E 'Requests/sec|Non-2xx|Socket errors| 99%| 50%'
done
echo "sysload-exporter after wrk: rss $(awk -v k="$(kb "$exporter" VmRSS)" 'BEGIN {printf "%.1f", k / 1024}') MB"
