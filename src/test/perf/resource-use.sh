#!/usr/bin/env bash
# Whole-process resource use of the exporter as packaged, beside the Go sysload exporter and
# Debian's node_exporter in the same window, each scraped once a second: the CPU seconds each
# process used in given minutes of its run, its resident memory then, plain and with a TLS and
# basic-auth web configuration; the CPU over a steady-state window; then scrape throughput and
# latency under wrk and the resident memory after it.
#
#   src/test/perf/resource-use.sh [SECONDS] [JAR]
#
# MINUTES (default "1 2 5 10 30") are the minutes of each process's run whose CPU seconds and
# resident memory are told: minute 1 is its first, from its start, so it holds the JVM's
# start. SECONDS is a window (default 90) after WARMUP seconds (default 540, so the window is
# minutes 10 and 11) whose CPU is told as well, per process. The run lasts until the later of
# the last minute and the window's end. The exporter runs through
# debian/sysload-exporter.launcher, so with the JVM flags the package ships (JAVA_OPTS may add
# more), and with a class-data archive dumped from the package's class list for this jar by
# the package's own dump script (CDS=0 runs without one).
#
# TLS=1 (default) adds a second exporter and a second node_exporter with a web configuration
# of TLS (a self-signed EC certificate made here) and basic auth (a bcrypt hash, htpasswd),
# scraped over https with the password, as README's Security section sets them up.
# GO_EXPORTER=/path/to/sysload_exporter adds the Go sysload exporter (no TLS), sampling once a
# second as this one does (--refresh-rate=1); without it the Go column is left out.
#
# JDKS="bookworm:17 trixie:21 trixie:25" runs one exporter per entry instead, all in the
# same window: each on Debian's OpenJDK of that version (openjdk-N-jre-headless, the only
# java) in a minimal root of that suite, started with systemd-nspawn on the host's network
# (so the same /proc, /sys and loopback), through the same launcher, flags and archive dump.
# The roots are made once, under JDK_ROOTS_DIR (default target/jdk-roots), from the suite
# tarballs that src/test/deb/deb-test.sh caches (see src/test/shell/debian-root.sh); that
# needs root, debootstrap and systemd-nspawn. An entry "host" adds the exporter on the host's
# own java, as without JDKS, to the same window. The TLS exporter runs on the host's java.
#
# SCRAPER=prometheus (default): Debian's Prometheus scrapes every exporter every second, as
# in production (one kept-alive connection per target). SCRAPER=curl: a new connection per
# scrape, the costlier case for an HTTP server (and a TLS handshake per scrape). Needs:
# prometheus, prometheus-node-exporter, wrk, curl; openssl and htpasswd (apache2-utils) for
# TLS. Loopback only; every process it starts is stopped on exit. The 1-minute load average
# is sampled through the run and printed with the figures: the machine may be shared, and
# what else runs there moves them.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"
# shellcheck source=src/test/shell/debian-root.sh
. "$REPO/src/test/shell/debian-root.sh"

WINDOW=${1:-90}
JAR=${2:-target/sysload-exporter.jar}
WARMUP=${WARMUP:-540}
MINUTES=${MINUTES:-1 2 5 10 30}
SCRAPER=${SCRAPER:-prometheus}
CDS=${CDS:-1}
TLS=${TLS:-1}
GO_EXPORTER=${GO_EXPORTER:-}
JDKS=${JDKS:-}
WRK_ARGS=${WRK_ARGS:--t2 -c16 -d10s}

need prometheus prometheus-node-exporter wrk curl
[ "$TLS" != 1 ] || need openssl htpasswd
[ -z "$GO_EXPORTER" ] || [ -x "$GO_EXPORTER" ] || die "GO_EXPORTER=$GO_EXPORTER is not a program"
for m in $MINUTES; do
    [[ $m =~ ^[1-9][0-9]*$ ]] || die "MINUTES are whole minutes from 1, not '$m'"
done
[ -s "$JAR" ] || die "no $JAR (mvn -B -DskipTests package)"
case $SCRAPER in prometheus|curl) ;; *) die "SCRAPER is prometheus or curl" ;; esac
for entry in $JDKS; do
    [[ $entry =~ ^([a-z]+:[0-9]+|host)$ ]] || die "JDKS entries are SUITE:VERSION or host, not '$entry'"
done
if [ -n "${JDKS// /}" ] && [ "${JDKS// /}" != host ]; then
    [ "$(id -u)" = 0 ] || die "JDKS needs root (systemd-nspawn)"
    need systemd-nspawn debootstrap
fi

work=$WORK
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
        wait_first_sample "http://127.0.0.1:$PORT/metrics" "$EXPORTER_PID" "$work/exporter.log"
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
        java=$(java_under "$nspawn")
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
# Everything measured, in the order of the table: the exporters above, then the others.
measured_names=("${names[@]}")
measured_pids=("${pids[@]}")
# Prometheus's jobs: "name port" for plain HTTP, "name port tls" for https with basic auth.
jobs=()
for i in "${!names[@]}"; do jobs+=("${names[i]} ${exporter_ports[i]}"); done

if [ "$TLS" = 1 ]; then
    # What README's Security section sets up: a certificate for the address scraped, a bcrypt
    # password, the same web configuration file for both exporters.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -keyout "$work/key.pem" -out "$work/cert.pem" -subj /CN=localhost \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1 || die "openssl could not make a certificate"
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s' "$password" >"$work/password"
    {
        printf 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n'
        printf '  prometheus: %s\n' "$(htpasswd -nbBC 10 prometheus "$password" | cut -d: -f2-)"
    } >"$work/web.yml"
    # The TLS start maps the archive of its own, as the launcher chooses it for the package.
    tls_archive=
    if [ "$CDS" = 1 ]; then
        tls_archive=$work/sysload-exporter-tls.jsa
        dump_cds debian/classlists "$JAR" "$tls_archive"
    fi
    next_port
    tls_port=$PORT
    SYSLOAD_EXPORTER_CDS_ARCHIVE="$tls_archive" start_exporter "$JAR" "$work/exporter-tls.log" \
        --web.listen-address="127.0.0.1:$tls_port" --web.config.file="$work/web.yml"
    deadline=$((SECONDS + 30))
    # The first sample, over TLS with the password (grep reads it all: see wait_first_sample).
    until curl -fsS --cacert "$work/cert.pem" -u "prometheus:$password" "https://127.0.0.1:$tls_port/metrics" 2>/dev/null |
        grep '^sysload_sysload ' >/dev/null; do
        kill -0 "$EXPORTER_PID" 2>/dev/null || { cat "$work/exporter-tls.log" >&2; die "the TLS exporter exited"; }
        [ "$SECONDS" -lt "$deadline" ] || die "no sample over TLS on port $tls_port within 30 s"
        sleep 0.2
    done
    measured_names+=("sysload-exporter-tls")
    measured_pids+=("$EXPORTER_PID")
    jobs+=("sysload-exporter-tls $tls_port tls")
fi
if [ -n "$GO_EXPORTER" ]; then
    next_port
    "$GO_EXPORTER" --refresh-rate=1 --listen-address="127.0.0.1:$PORT" >"$work/go-exporter.log" 2>&1 &
    go_pid=$!
    go_port=$PORT
    on_exit stop_process "$go_pid"
    measured_names+=("go-sysload")
    measured_pids+=("$go_pid")
    jobs+=("go-sysload $go_port")
fi
next_port
node_port=$PORT
prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" >/dev/null 2>&1 &
node=$!
on_exit stop_process "$node"
measured_names+=("node_exporter")
measured_pids+=("$node")
jobs+=("node_exporter $node_port")
if [ "$TLS" = 1 ]; then
    next_port
    prometheus-node-exporter --web.listen-address="127.0.0.1:$PORT" --web.config.file="$work/web.yml" >/dev/null 2>&1 &
    on_exit stop_process "$!"
    measured_names+=("node_exporter-tls")
    measured_pids+=("$!")
    jobs+=("node_exporter-tls $PORT tls")
fi
next_port
prometheus_port=$PORT

# 1 scrape a second of each, for the whole run.
if [ "$SCRAPER" = prometheus ]; then
    {
        printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n'
        for job in "${jobs[@]}"; do
            read -r name port tls <<<"$job"
            printf '  - job_name: %s\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "$name" "$port"
            if [ -n "$tls" ]; then
                printf '    scheme: https\n    tls_config: {ca_file: %s}\n' "$work/cert.pem"
                printf '    basic_auth: {username: prometheus, password_file: %s}\n' "$work/password"
            fi
        done
    } >"$work/prometheus.yml"
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
        --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
    on_exit stop_process "$!"
else
    (
        while true; do
            for job in "${jobs[@]}"; do
                read -r name port tls <<<"$job"
                if [ -n "$tls" ]; then
                    curl -s -o /dev/null --cacert "$work/cert.pem" -u "prometheus:$password" "https://127.0.0.1:$port/metrics" || true
                else
                    curl -s -o /dev/null "http://127.0.0.1:$port/metrics" || true
                fi
            done
            sleep 1
        done
    ) &
    on_exit stop_process "$!"
fi

hz=$(getconf CLK_TCK)
kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
mb() { awk -v k="$(kb "$1" "$2")" 'BEGIN {printf "%.1f", k / 1024}'; }
java_version() { # the JVM's version, from the exporter's build info
    curl -fsS "http://127.0.0.1:$1/metrics" | sed -n 's/^sysload_build_info{.*javaversion="\([^"]*\)".*/\1/p'
}

# Every second until the end of the run, for each process: seconds since it started, its CPU
# ticks (utime + stime) and resident kB; and the 1-minute load average.
last_minute=0
for m in $MINUTES; do [ "$m" -le "$last_minute" ] || last_minute=$m; done
run=$(( last_minute * 60 > WARMUP + WINDOW ? last_minute * 60 : WARMUP + WINDOW ))
echo "resource-use: measuring for ${run}s (until minute $last_minute and the window's end)" >&2
started=()
last_start=0 # of the process started last: the run ends when it has run its time
for pid in "${measured_pids[@]}"; do
    # field 22 of /proc/PID/stat: start time in ticks after boot; the name before it may hold spaces
    stat=$(cat "/proc/$pid/stat")
    read -ra f <<<"${stat##*) }"
    started+=("${f[19]}")
    [ "${f[19]}" -le "$last_start" ] || last_start=${f[19]}
done
usage=$work/usage.txt
loads=()
until
    up=$(cut -d ' ' -f 1 /proc/uptime)
    for i in "${!measured_pids[@]}"; do
        stat=$(cat "/proc/${measured_pids[i]}/stat" 2>/dev/null) || die "${measured_names[i]} exited"
        read -ra f <<<"${stat##*) }"
        echo "$i $(awk -v u="$up" -v s="${started[i]}" -v hz="$hz" 'BEGIN {printf "%.2f", u - s / hz}') $((f[11] + f[12])) $(kb "${measured_pids[i]}" VmRSS)"
    done >>"$usage"
    loads+=("$(cut -d ' ' -f 1 /proc/loadavg)")
    awk -v up="$up" -v s="$last_start" -v hz="$hz" -v run="$run" 'BEGIN {exit !(up - s / hz >= run + 1)}'
do sleep 1; done

echo "each process scraped once a second by $SCRAPER, $(nproc) CPUs," \
    "class-data archive: $([ "$CDS" = 1 ] && echo yes || echo no)"
printf '%s\n' "${loads[@]}" | awk '{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
    END { printf "load average (1 min) through the run: mean %.2f, %.2f to %.2f (%d readings)\n", s / NR, lo, hi, NR }'
# For each process, at each mark (seconds of its run), the first reading at or after it.
at() { # INDEX SECONDS: "ticks rss_kb" of the first reading of process INDEX at or after SECONDS
    awk -v i="$1" -v t="$2" '$1 == i && $2 >= t {print $3, $4; exit}' "$usage"
}
header=$(printf '%-22s' process)
for m in $MINUTES; do header+=$(printf ' %9s' "cpu_m$m"); done
header+=$(printf ' %9s' "cpu_window")
for m in $MINUTES; do header+=$(printf ' %9s' "rss_m$m"); done
echo "CPU seconds in each minute of the process's run (minute 1 from its start) and in the" \
    "window (${WINDOW}s after ${WARMUP}s); resident MB at the end of each minute:"
echo "$header"
for i in "${!measured_pids[@]}"; do
    line=$(printf '%-22s' "${measured_names[i]}")
    for m in $MINUTES; do
        a=0 # minute 1 from the start
        [ "$m" = 1 ] || read -r a _ <<<"$(at "$i" $(((m - 1) * 60)))"
        read -r b _ <<<"$(at "$i" $((m * 60)))"
        line+=$(awk -v a="$a" -v b="$b" -v hz="$hz" 'BEGIN {printf " %9.2f", (b - a) / hz}')
    done
    read -r a _ <<<"$(at "$i" "$WARMUP")"
    read -r b _ <<<"$(at "$i" $((WARMUP + WINDOW)))"
    line+=$(awk -v a="$a" -v b="$b" -v hz="$hz" 'BEGIN {printf " %9.2f", (b - a) / hz}')
    for m in $MINUTES; do
        read -r _ r <<<"$(at "$i" $((m * 60)))"
        line+=$(awk -v r="$r" 'BEGIN {printf " %9.1f", r / 1024}')
    done
    echo "$line"
done
for i in "${!names[@]}"; do
    echo "${names[i]}: $(java_version "${exporter_ports[i]}"), peak resident $(mb "${pids[i]}" VmHWM) MB," \
        "$(awk '$1 == "Threads:" {print $2}' "/proc/${pids[i]}/status") threads"
done

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
    print("prometheus: job %s failed scrapes in the last %ss: %s" % (r["metric"]["job"], sys.argv[1], r["value"][1]))' "$WINDOW"
fi

# One at a time, each plain exporter under wrk while the others stay at one scrape a second.
wrk_targets=()
for i in "${!names[@]}"; do wrk_targets+=("${names[i]} ${exporter_ports[i]}"); done
[ -z "$GO_EXPORTER" ] || wrk_targets+=("go-sysload $go_port")
wrk_targets+=("node_exporter $node_port")
for target in "${wrk_targets[@]}"; do
    read -r name port <<<"$target"
    echo "--- wrk $WRK_ARGS --latency http://127.0.0.1:$port/metrics ($name)"
    # shellcheck disable=SC2086 # WRK_ARGS is a list of words
    wrk $WRK_ARGS --latency "http://127.0.0.1:$port/metrics" |
        grep -E 'Requests/sec|Non-2xx|Socket errors| 99%| 50%'
done
for i in "${!names[@]}"; do
    echo "${names[i]} after wrk: rss $(mb "${pids[i]}" VmRSS) MB, peak $(mb "${pids[i]}" VmHWM) MB"
done
