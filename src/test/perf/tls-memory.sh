#!/usr/bin/env bash
# The resident memory of the exporter serving TLS with basic auth beside the same exporter
# serving plain HTTP, in one window: what an operator who follows README's Security section
# pays for it.
#
#   src/test/perf/tls-memory.sh [MINUTES] [JAR]
#
# Both run through debian/sysload-exporter.launcher with the package's JVM flags and the
# class-data archives that postinst dumps (the same script, for this jar), the launcher
# choosing between them as it does under systemd; Prometheus scrapes each once a second (one
# kept-alive connection each, https with the password for the TLS one). Printed at START
# seconds (default 40) after the first sample and again after MINUTES (default 10), for each
# and for TLS minus plain: VmRSS, its anonymous and file-backed parts (/proc/PID/status), the
# proportional set size (smaps_rollup) and the archives it maps.
#
# NMT=1 starts both with -XX:NativeMemoryTracking=summary and -Xlog:class+load and adds, at
# each reading, the classes loaded and how many came from an archive, and NMT's committed
# memory by category (jcmd); NMT itself costs resident memory, so compare like with like.
# KEEP=DIR keeps each NMT summary there.
# RUNS names what to start, one entry a word, NAME=plain or NAME=tls, each optionally
# followed by :ARCHIVE to hand the launcher that archive instead of choosing one of the dumped
# ones (":" alone for none; a name without a slash is one of the dumped ones); default
# "plain=plain tls=tls". E.g. RUNS="plain=plain tls=tls tls-on-plain=tls:sysload-exporter.jsa"
# adds a TLS start on the plain archive, as before the TLS one. Needs: prometheus, openssl,
# curl, and jcmd for NMT=1. Loopback only; everything it starts is stopped at exit.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"
# shellcheck source=src/test/cds/cds.sh
. "$REPO/src/test/cds/cds.sh"

MINUTES=${1:-10}
JAR=${2:-target/sysload-exporter.jar}
START=${START:-40}
NMT=${NMT:-0}
RUNS=${RUNS:-plain=plain tls=tls}
java_opts=${JAVA_OPTS:-}

for tool in prometheus openssl curl; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
[ "$NMT" = 0 ] || command -v jcmd >/dev/null || die "jcmd is missing (NMT=1)"
[ -s "$JAR" ] || die "$JAR missing (mvn -B -q package -DskipTests)"
JAR=$(readlink -f "$JAR")

# The web config of the TLS run: a self-signed P-256 certificate for 127.0.0.1, as
# hostile-clients.py --tls makes it, and the one bcrypt (cost 10) user of the class lists' run.
password=$CDS_PASSWORD
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/key.pem" \
    -out "$WORK/cert.pem" -days 2 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>"$WORK/openssl.log" ||
    { cat "$WORK/openssl.log" >&2; die "openssl req failed"; }
hash=$CDS_HASH
printf 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prometheus: %s\n' \
    "'$hash'" >"$WORK/web.yml"
printf '%s' "$password" >"$WORK/password"

# The archives as postinst dumps them, into a directory of the script's own.
cache=$WORK/cache
mkdir -p "$cache"
dump_cds_archives "$JAR" "$cache"

names=()
pids=()
ports=()
modes=()
for entry in $RUNS; do
    [[ $entry =~ ^([A-Za-z0-9_-]+)=(plain|tls)(:(.*))?$ ]] ||
        die "RUNS entries are NAME=plain or NAME=tls, optionally :ARCHIVE, not '$entry'"
    name=${BASH_REMATCH[1]} mode=${BASH_REMATCH[2]}
    port=$(free_port "${ports[@]}")
    args=(--web.listen-address="127.0.0.1:$port")
    [ "$mode" = plain ] || args+=(--web.config.file="$WORK/web.yml")
    opts=$java_opts
    [ "$NMT" = 0 ] || opts="$opts -XX:NativeMemoryTracking=summary -Xlog:class+load=info:file=$WORK/$name.classes"
    # The launcher's own choice of archive in $cache unless the entry names one. The log
    # stands for the journal, as in update-classlist.sh.
    : >"$WORK/$name.log"
    # start_exporter is a function of this shell: the settings are exported around it.
    unset SYSLOAD_EXPORTER_CDS_ARCHIVE SYSLOAD_EXPORTER_CDS_DIR
    if [ -n "${BASH_REMATCH[3]}" ]; then
        archive=${BASH_REMATCH[4]}
        [[ -z $archive || $archive == /* ]] || archive=$cache/$archive
        export SYSLOAD_EXPORTER_CDS_ARCHIVE=$archive
    else
        export SYSLOAD_EXPORTER_CDS_DIR=$cache
    fi
    JOURNAL_STREAM=$(stat -c %d:%i "$WORK/$name.log") JAVA_OPTS=$opts
    export JOURNAL_STREAM JAVA_OPTS
    start_exporter "$JAR" "$WORK/$name.log" "${args[@]}"
    unset SYSLOAD_EXPORTER_CDS_ARCHIVE SYSLOAD_EXPORTER_CDS_DIR JOURNAL_STREAM JAVA_OPTS
    names+=("$name")
    pids+=("$EXPORTER_PID")
    ports+=("$port")
    modes+=("$mode")
done

# Prometheus, one job per exporter, each scraped every second.
prometheus_port=$(free_port "${ports[@]}")
{
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n'
    for i in "${!names[@]}"; do
        printf '  - job_name: %s\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "${names[i]}" "${ports[i]}"
        if [ "${modes[i]}" = tls ]; then
            printf '    scheme: https\n    tls_config: {ca_file: %s}\n' "$WORK/cert.pem"
            printf '    basic_auth: {username: prometheus, password_file: %s}\n' "$WORK/password"
        fi
    done
} >"$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$prometheus_port" >"$WORK/prometheus.log" 2>&1 &
on_exit stop_process "$!"

for i in "${!names[@]}"; do
    if [ "${modes[i]}" = plain ]; then
        wait_first_sample "http://127.0.0.1:${ports[i]}/metrics" "${pids[i]}" "$WORK/${names[i]}.log"
    else
        wait_first_sample "https://127.0.0.1:${ports[i]}/metrics" "${pids[i]}" "$WORK/${names[i]}.log" 30 \
            --cacert "$WORK/cert.pem" -u "prometheus:$password"
    fi
done

kb() { awk -v k="$2" '$1 == k":" {print $2}' "$1"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
# reading LABEL: one line per exporter, then TLS minus plain for each pair.
declare -A rss
reading() {
    local label=$1 i pid pss maps classes shared nmt
    printf '\n%s\n%-14s %7s %8s %8s %8s %7s  %s\n' "$label" run VmRSS RssAnon RssFile RssShmem Pss "archive mapped"
    for i in "${!names[@]}"; do
        pid=${pids[i]}
        kill -0 "$pid" 2>/dev/null || die "${names[i]} exited (log: $(tail -n 3 "$WORK/${names[i]}.log"))"
        cp "/proc/$pid/status" "$WORK/status"
        pss=$(kb "/proc/$pid/smaps_rollup" Pss)
        maps=$(awk '$6 ~ /\.jsa$/ {print $6}' "/proc/$pid/maps" | sort -u | xargs -r -n 1 basename | paste -sd ' ')
        rss[${names[i]}]=$(kb "$WORK/status" VmRSS)
        printf '%-14s %7s %8s %8s %8s %7s  %s\n' "${names[i]}" "$(mb "${rss[${names[i]}]}")" \
            "$(mb "$(kb "$WORK/status" RssAnon)")" "$(mb "$(kb "$WORK/status" RssFile)")" \
            "$(mb "$(kb "$WORK/status" RssShmem)")" "$(mb "$pss")" "${maps:-none}"
        if [ "$NMT" = 1 ]; then
            classes=$(grep -c 'source:' "$WORK/${names[i]}.classes" || true)
            shared=$(grep -c 'source: shared objects file' "$WORK/${names[i]}.classes" || true)
            jcmd "$pid" VM.native_memory summary scale=KB >"$WORK/nmt" 2>&1 || true
            nmt=$(awk '
                function kb(line) { sub(/.*committed=/, "", line); sub(/KB.*/, "", line); return line + 0 }
                /^Total:/ { printf "total %.1f", kb($0) / 1024 }
                /^-.*\(reserved=/ {
                    name = $0; sub(/^-[[:space:]]*/, "", name); sub(/ \(reserved=.*/, "", name)
                    if (kb($0) >= 256) printf ", %s %.1f", name, kb($0) / 1024
                }
                /Shared class space/ { sub(/^-[[:space:]]*/, "") }' "$WORK/nmt")
            [ -z "${KEEP:-}" ] || cp "$WORK/nmt" "$KEEP/${names[i]}.$(date +%s).nmt"
            printf '%14s classes %s (%s from an archive); NMT committed MB: %s\n' "" "$classes" "$shared" "$nmt"
        fi
    done
    for i in "${!names[@]}"; do
        [ "${modes[i]}" = tls ] || continue
        for j in "${!names[@]}"; do
            [ "${modes[j]}" = plain ] || continue
            printf '%-14s %+7.1f MB VmRSS (%s minus %s)\n' "" \
                "$(awk -v a="${rss[${names[i]}]}" -v b="${rss[${names[j]}]}" 'BEGIN {printf "%.1f", (a - b) / 1024}')" \
                "${names[i]}" "${names[j]}"
        done
    done
}

echo "tls-memory: $(java -version 2>&1 | sed -n 2p); 1 scrape/s each by Prometheus; $(nproc) CPUs"
sleep "$START"
reading "at start (${START} s after the first sample)"
sleep $((MINUTES * 60 - START > 0 ? MINUTES * 60 - START : 0))
reading "after $MINUTES minutes"
