#!/usr/bin/env bash
work=$WORK
# Whole-process resource use of the exporter as packaged, beside Debian's node_exporter in
# the same window: CPU seconds over a steady-state window at one scrape a second, peak and
# final resident memory, then scrape throughput and latency under wrk and the resident memory
# after it.
#
#   src/test/perf/resource-use.sh [SECONDS] [JAR]
#
# SECONDS is the measured window (default 90), after a warm-up (WARMUP, default 30 s; the
# performance goal is read after 10 minutes: WARMUP=510 with a 90 s window). The exporter
# runs through debian/sysload-exporter.launcher, so with the JVM flags the package ships
# (JAVA_OPTS may add more), and with a class-data archive dumped from the package's class
# list for this jar by the package's own dump script (CDS=0 runs without one).
#
# JDKS="bookworm:17 trixie:21 trixie:25" runs one exporter per entry instead, all in the
# same window: each on Debian's OpenJDK of that version (openjdk-N-jre-headless, the only
# java) in a minimal root of that suite, started with systemd-nspawn on the host's network
# (so the same /proc, /sys and loopback), through the same launcher, flags and archive dump.
# The roots are made once, under JDK_ROOTS_DIR (default target/jdk-roots), from the suite
# tarballs that src/test/deb/deb-test.sh caches (see src/test/shell/debian-root.sh); that
# needs root, debootstrap and systemd-nspawn. An entry "host" adds the exporter on the host's
# own java, as without JDKS, to the same window.
#
# SCRAPER=prometheus (default): Debian's Prometheus scrapes every exporter every second, as
# in production (one kept-alive connection per target). SCRAPER=curl: a new connection per
# scrape, the costlier case for an HTTP server. Needs: prometheus, prometheus-node-exporter,
# wrk, curl. Loopback only; every process it starts is stopped on exit. The 1-minute load
# average is sampled through the window and printed with the figures: the machine may be
# shared, and what else runs there moves them.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"
# shellcheck source=src/test/shell/debian-root.sh
. "$REPO/src/test/shell/debian-root.sh"

WINDOW=${1:-90}
JAR=${2:-target/sysload-exporter.jar}
WARMUP=${WARMUP:-30}
SCRAPER=${SCRAPER:-prometheus}
CDS=${CDS:-1}
JDKS=${JDKS:-}
WRK_ARGS=${WRK_ARGS:--t2 -c16 -d10s}

need prometheus prometheus-node-exporter wrk curl
[ -s "$JAR" ] || die "no $JAR (mvn -B -DskipTests package)"
case $SCRAPER in prometheus|curl) ;; *) die "SCRAPER is prometheus or curl" ;; esac
for entry in $JDKS; do
    [[ $entry =~ ^([a-z]+:[0-9]+|host)$ ]] || die "JDKS entries are SUITE:VERSION or host, not '$entry'"
done
if [ -n "${JDKS// /}" ] && [ "${JDKS// /}" != host ]; then
    [ "$(id -u)" = 0 ] || die "JDKS needs root (systemd-nspawn)"
    need systemd-nspawn debootstrap
fi

# next_port: sets PORT to a free loopback port that none of the script's others is.
ports=()
next_port() {
    PORT=$(free_port "${ports[@]}")
    ports+=("$PORT")
}

names=()
pids=()
exporter_ports=()

for entry in ${JDKS:-host}; do
    if [ "$entry" = host ]; then
        # The host's default java.
        archive=
        if [ "$CDS" = 1 ]; then
            # What postinst does, for this jar at its path here.
            archive=$work/sysload-exporter.jsa
            dump_cds debian/classlists "$JAR" "$archive"
        fi
        next_port
        SYSLOAD_EXPORTER_CDS_ARCHIVE="$archive" start_exporter "$JAR" "$work/exporter.log" \
            --web.listen-address="127.0.0.1:$PORT"
        names+=("$([ -n "$JDKS" ] && echo host || echo sysload-exporter)")
        pids+=("$EXPORTER_PID")
        exporter_ports+=("$PORT")
    else
        suite=${entry%%:*}
        version=${entry##*:}
        name=openjdk-$version
        root=$(jdk_root "$suite" "$version")
        # The package's files, as it installs them, at one path inside the root.
        stage=/opt/sysload-resource-use
        rm -rf "${root:?}$stage"
        mkdir -p "$root$stage"
        cp "$JAR" "$root$stage/sysload-exporter.jar"
        cp debian/sysload-exporter.launcher "$root$stage/launcher"
        cp debian/sysload-exporter.jvm-flags "$root$stage/jvm-flags"
        cp debian/sysload-exporter.dump-cds "$root$stage/dump-cds"
        cp -r debian/classlists "$root$stage/classlists"
        archive=
        if [ "$CDS" = 1 ]; then
            archive=$stage/sysload-exporter.jsa
            out=$(in_jdk_root "$root" sh "$stage/dump-cds" "$stage/classlists" "$stage/sysload-exporter.jar" "$archive" 2>&1) ||
                { printf '%s\n' "$out" >&2; die "class-data dump with OpenJDK $version failed"; }
        fi
        next_port
        in_jdk_root "$root" \
            --setenv=SYSLOAD_EXPORTER_JAR="$stage/sysload-exporter.jar" \
            --setenv=SYSLOAD_EXPORTER_JVM_FLAGS="$stage/jvm-flags" \
            --setenv=SYSLOAD_EXPORTER_CDS_ARCHIVE="$archive" \
            ${JAVA_OPTS:+"--setenv=JAVA_OPTS=$JAVA_OPTS"} \
            sh "$stage/launcher" --web.listen-address="127.0.0.1:$PORT" >"$work/$name.log" 2>&1 &
        nspawn=$!
        on_exit stop_process "$nspawn"
        wait_first_sample "http://127.0.0.1:$PORT/metrics" "$nspawn" "$work/$name.log"
        java=
        for child in $(descendants "$nspawn"); do
            if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = java ]; then java=$child; fi
        done
        [ -n "$java" ] || die "no java process under systemd-nspawn (pid $nspawn)"
        # Stopped before its nspawn (the last registered runs first), so that it exits as
        # systemd would stop it.
        on_exit stop_process "$java"
        if [ -n "$archive" ] && ! grep -qF "$archive" "/proc/$java/maps"; then
            die "OpenJDK $version does not map its class-data archive"
        fi
        names+=("$name")
        pids+=("$java")
        exporter_ports+=("$PORT")
    fi
done
next_port
node_port=$PORT
prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" >/dev/null 2>&1 &
node=$!
on_exit stop_process "$node"
next_port
prometheus_port=$PORT

# 1 scrape a second of each, for the whole run.
if [ "$SCRAPER" = prometheus ]; then
    {
        printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n'
        for i in "${!names[@]}"; do
            printf '  - job_name: %s\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "${names[i]}" "${exporter_ports[i]}"
        done
        printf '  - job_name: node\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "$node_port"
    } >"$work/prometheus.yml"
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
        --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
    on_exit stop_process "$!"
else
    urls=()
    for p in "${exporter_ports[@]}" "$node_port"; do urls+=("http://127.0.0.1:$p/metrics"); done
    scrape_every_second "${urls[@]}"
fi

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
mb() { awk -v k="$(kb "$1" "$2")" 'BEGIN {printf "%.1f", k / 1024}'; }
java_version() { # the JVM's version, from the exporter's build info
    curl -fsS "http://127.0.0.1:$1/metrics" | sed -n 's/^sysload_build_info{.*javaversion="\([^"]*\)".*/\1/p'
}

sleep "$WARMUP"
all_pids=("${pids[@]}" "$node")
t0=()
for pid in "${all_pids[@]}"; do t0+=("$(cpu_ticks "$pid")"); done
# The window, with the 1-minute load average read every 10 s.
loads=()
end=$((SECONDS + WINDOW))
while [ "$SECONDS" -lt "$end" ]; do
    loads+=("$(cut -d ' ' -f 1 /proc/loadavg)")
    sleep "$(( end - SECONDS < 10 ? end - SECONDS : 10 ))"
done
loads+=("$(cut -d ' ' -f 1 /proc/loadavg)")
t1=()
for pid in "${all_pids[@]}"; do t1+=("$(cpu_ticks "$pid")"); done

row() { # name pid ticks0 ticks1 java
    printf '%-16s %11s %11s %11s %8s %8s  %s\n' "$1" \
        "$(awk -v a="$3" -v b="$4" -v hz="$hz" 'BEGIN {printf "%.2f", (b - a) / hz}')" \
        "$(awk -v a="$3" -v b="$4" -v hz="$hz" -v w="$WINDOW" 'BEGIN {printf "%.3f", (b - a) / hz * 60 / w}')" \
        "$(mb "$2" VmHWM)" "$(mb "$2" VmRSS)" \
        "$(awk '$1 == "Threads:" {print $2}' "/proc/$2/status")" "$5"
}
echo "window ${WINDOW}s after ${WARMUP}s warm-up, 1 scrape/s each by $SCRAPER, $(nproc) CPUs," \
    "class-data archive: $([ "$CDS" = 1 ] && echo yes || echo no)"
printf '%s\n' "${loads[@]}" | awk '{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
    END { printf "load average (1 min) in the window: mean %.2f, %.2f to %.2f (%d readings)\n", s / NR, lo, hi, NR }'
printf '%-16s %11s %11s %11s %8s %8s  %s\n' process cpu_seconds cpu_s_per_min peak_rss_mb rss_mb threads java
for i in "${!names[@]}"; do
    row "${names[i]}" "${pids[i]}" "${t0[i]}" "${t1[i]}" "$(java_version "${exporter_ports[i]}")"
done
row node_exporter "$node" "${t0[-1]}" "${t1[-1]}" ""

if [ "$SCRAPER" = prometheus ]; then
    # Prometheus's own view: every scrape of the window succeeded, and how long each took.
    q='avg_over_time(scrape_duration_seconds['"$WINDOW"'s]) * 1000'
    curl -s "http://127.0.0.1:$prometheus_port/api/v1/query" --data-urlencode "query=$q" |
        python3 -c 'import json,sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("prometheus: job %s mean scrape duration %.2f ms" % (r["metric"]["job"], float(r["value"][1])))'
    q='count_over_time(up['"$WINDOW"'s]) - sum_over_time(up['"$WINDOW"'s])'
    curl -s "http://127.0.0.1:$prometheus_port/api/v1/query" --data-urlencode "query=$q" |
        python3 -c 'import json,sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("prometheus: job %s failed scrapes in the window: %s" % (r["metric"]["job"], r["value"][1]))'
fi

# One at a time, each exporter under wrk while the others stay at one scrape a second.
for i in "${!names[@]}" node; do
    if [ "$i" = node ]; then name=node_exporter port=$node_port; else name=${names[i]} port=${exporter_ports[i]}; fi
    echo "--- wrk $WRK_ARGS --latency http://127.0.0.1:$port/metrics ($name)"
    # shellcheck disable=SC2086 # WRK_ARGS is a list of words
    wrk $WRK_ARGS --latency "http://127.0.0.1:$port/metrics" |
        grep -E 'Requests/sec|Non-2xx|Socket errors| 99%| 50%'
done
for i in "${!names[@]}"; do
    echo "${names[i]} after wrk: rss $(mb "${pids[i]}" VmRSS) MB, peak $(mb "${pids[i]}" VmHWM) MB"
done
