# shellcheck shell=bash
# What the scripts under src/test share: dying with one line, cleanup at exit (and on Ctrl-C
# or SIGTERM), a check for the commands they need, waiting with a deadline, a free port,
# starting the exporter the way the package does (debian/'s launcher and JVM flags, a jar of
# this checkout), waiting for its first sample, and the class-data dump. Sourced, after
# `set -euo pipefail`:
#
#   . "$(dirname "$0")/../shell/lib.sh"
#
# It changes into the checkout's top directory, so that relative paths such as
# target/sysload-exporter.jar mean the same from wherever the script was started.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$REPO" || exit 1
SCRIPT=$(basename "$0" .sh)

die() {
    echo "$SCRIPT: $*" >&2
    exit 1
}

# on_exit COMMAND...: runs COMMAND when the script exits, however it exits; the last one
# registered runs first, so what was started last is stopped first.
_exit_commands=()
on_exit() {
    _exit_commands+=("$(printf '%q ' "$@")")
}
_run_exit_commands() {
    local i
    for ((i = ${#_exit_commands[@]} - 1; i >= 0; i--)); do
        eval "${_exit_commands[i]}" || true
    done
}
trap _run_exit_commands EXIT
# Ctrl-C or SIGTERM ends the script, through the commands above, even while a child that
# handles the signal itself (a JVM) goes on running: bash would otherwise carry on after it.
trap 'exit 130' INT
trap 'exit 143' TERM

# WORK: a temporary directory of the script's, removed at exit.
WORK=$(mktemp -d)
on_exit rm -rf "$WORK"

# free_port [TAKEN...]: a loopback TCP port that nothing answers on, chosen at random so that
# scripts running side by side do not race for the same one, and none of TAKEN: nothing
# listens on the ports a script has chosen but not yet started anything on.
# shellcheck disable=SC2120 # TAKEN is optional
free_port() {
    local port _
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 30000))
        [[ " $* " == *" $port "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "no free loopback port found"
}

# need COMMAND...: dies naming those of the commands that are not on PATH; the script's
# header says which packages have them.
# (The array has a name of its own: shellcheck, reading a sourcing script with this file,
# does not keep locals apart and would take a script's string of the same name for it.)
need() {
    local c _need_missing=()
    for c in "$@"; do
        command -v "$c" >/dev/null || _need_missing+=("$c")
    done
    [ "${#_need_missing[@]}" = 0 ] || die "not found: ${_need_missing[*]} (see the packages at the top of $0)"
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds; fails once
# SECONDS have passed without.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# stop_process PID [SECONDS]: SIGTERM, then SIGKILL if it still runs SECONDS (default 2)
# later; reaps it if it is the script's child.
stop_process() {
    local pid=$1 grace=${2:-2} _
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq $((grace * 10))); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# The JVM flags file the package ships; the launcher reads it, and so does anything here that
# runs a JVM as the package would.
JVM_FLAGS_FILE=$REPO/debian/sysload-exporter.jvm-flags

# start_exporter JAR LOG ARG...: starts JAR through debian/'s launcher with the package's JVM
# flags (JAVA_OPTS and SYSLOAD_EXPORTER_CDS_ARCHIVE from the environment pass through), its
# output in LOG; sets EXPORTER_PID, and stops it at exit. Run it in the script's own shell,
# not in $(...), or EXPORTER_PID is lost.
start_exporter() {
    local jar=$1 log=$2
    shift 2
    [ -s "$jar" ] || die "$jar missing (mvn -B -q package -DskipTests)"
    SYSLOAD_EXPORTER_JAR="$jar" SYSLOAD_EXPORTER_JVM_FLAGS="$JVM_FLAGS_FILE" \
        sh "$REPO/debian/sysload-exporter.launcher" "$@" >"$log" 2>&1 &
    EXPORTER_PID=$!
    on_exit stop_process "$EXPORTER_PID"
}

# wait_first_sample URL PID LOG [SECONDS [CURL_ARG...]]: until URL serves a sysload sample (two
# readings, one refresh interval apart); dies, showing LOG, if PID exits or SECONDS (default 30)
# pass first. CURL_ARGs go to curl (a CA file and a password for https).
wait_first_sample() {
    local url=$1 pid=$2 log=$3 deadline=$((SECONDS + ${4:-30}))
    shift $(($# < 4 ? $# : 4))
    # grep reads the whole page (no -q): curl writing after grep has quit would die of
    # SIGPIPE, which pipefail counts as no sample.
    until curl -fsS "$@" "$url" 2>/dev/null | grep '^sysload_sysload ' >/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            cat "$log" >&2
            die "the exporter exited before its first sample"
        fi
        [ "$SECONDS" -lt "$deadline" ] || { cat "$log" >&2; die "no sample on $url within ${4:-30} s"; }
        sleep 0.1
    done
}

# scrape_every_second URL...: in the background until exit, a new connection per scrape.
scrape_every_second() {
    (
        while true; do
            for url in "$@"; do curl -s -o /dev/null "$url" || true; done
            sleep 1
        done
    ) &
    on_exit stop_process "$!"
}

# dump_cds CLASSLIST JAR ARCHIVE: the class-data dump that the package's postinst makes, with
# the same script (CLASSLIST a list, or debian/classlists: the list of ARCHIVE's name for the
# default java's version); dies with the JVM's output if it fails.
dump_cds() {
    local out
    out=$(sh "$REPO/debian/sysload-exporter.dump-cds" "$1" "$2" "$3" 2>&1 </dev/null) ||
        { printf '%s\n' "$out" >&2; die "class-data dump of $2 failed"; }
}

# dump_cds_archives JAR DIR: both archives that postinst dumps, plain and TLS, from the
# committed class lists of the default java's version, as DIR/sysload-exporter.jsa and
# DIR/sysload-exporter-tls.jsa: what the launcher chooses between (SYSLOAD_EXPORTER_CDS_DIR=DIR).
dump_cds_archives() {
    dump_cds "$REPO/debian/classlists" "$1" "$2/sysload-exporter.jsa"
    dump_cds "$REPO/debian/classlists" "$1" "$2/sysload-exporter-tls.jsa"
}
