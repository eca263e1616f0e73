#!/usr/bin/env bash
# Fuzzes each @FuzzTest with Jazzer for a bounded time, one target per JVM (libFuzzer fuzzes one
# target per process), and fails if any target finds a crash, a timeout or an out-of-memory.
#
#   bash src/test/fuzz/fuzz.sh [SECONDS] [TARGET...]      e.g. fuzz.sh 600 interrupts
#
# SECONDS per target: the argument, else FUZZ_SECONDS, else 30. TARGETs: the names below
# (default: all). Everything lands in target/fuzz/<name>/, outside git: corpus/ (what libFuzzer
# found interesting; kept, so the next run goes on from it), findings/ (crash-*, timeout-*,
# oom-* inputs of this run; the previous run's are moved to findings.prev/), log (libFuzzer's
# output). A finding reproduces with `mvn test` once its file is copied to the target's seed
# directory, src/test/resources/<package>/<Class>Inputs/<method>/ (it then fails until fixed).
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"

seconds=${1:-${FUZZ_SECONDS:-30}}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive integer, not '$seconds'"
shift $(( $# > 0 ? 1 : 0 ))

# name  class#method  max_len (as the target's own limit; libFuzzer would otherwise take the
# largest seed as its limit)
targets=(
    "proc-stat   io.github.sysloadexporter.fuzz.ProcStatFuzzTest#parse       65536"
    "diskstats   io.github.sysloadexporter.fuzz.DiskStatsFuzzTest#parse      65536"
    "interrupts  io.github.sysloadexporter.fuzz.InterruptsFuzzTest#parse     65536"
    "sysfs       io.github.sysloadexporter.fuzz.SysfsScanFuzzTest#scan       4096"
    "web-config  io.github.sysloadexporter.web.WebConfigParserFuzzTest#parse 8192"
    "pem         io.github.sysloadexporter.web.PemKeysFuzzTest#read          8192"
)
selected=()
for t in "${targets[@]}"; do
    read -r name _ <<<"$t"
    if (( $# == 0 )) || [[ " $* " == *" $name "* ]]; then
        selected+=("$t")
    fi
done
(( ${#selected[@]} > 0 )) || die "no target named $*; the targets: ${targets[*]%% *}"

out=target/fuzz
mkdir -p "$out"
# Compile once; each target then runs Jazzer's own main on the test class path, no Maven.
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$out/classpath.txt"
cp="target/test-classes:target/classes:$(cat "$out/classpath.txt")"

# The JVM: a bounded heap (an input that makes the parser keep too much is an out-of-memory
# finding); agent attach without a helper process; for short runs C1 only, which on 2 cores
# gives more executions in 30 s than waiting for C2.
java_opts=(-Xmx1g -Djdk.attach.allowAttachSelf=true)
if (( seconds <= 120 )); then
    java_opts+=(-XX:TieredStopAtLevel=1)
fi

failed=0
total=0
summary=()
for t in "${selected[@]}"; do
    read -r name test max_len <<<"$t"
    dir=$out/$name
    mkdir -p "$dir/corpus" "$dir/tmp"
    rm -rf "$dir/findings.prev"
    if [[ -d $dir/findings ]] && [[ -n $(ls -A "$dir/findings") ]]; then
        mv "$dir/findings" "$dir/findings.prev"
    fi
    rm -rf "$dir/findings" "$dir/tmp"/*
    mkdir -p "$dir/findings"
    echo "fuzzing $name ($test) for $seconds s ..."
    start=$SECONDS
    status=0
    # java.io.tmpdir in target/: Jazzer's seed directories and the sysfs target's trees.
    # -timeout: an input that takes 10 s is a finding (a hang); --keep_going: go on after a
    # finding, to report the distinct ones of the whole run; the wall-clock bound is a backstop.
    timeout --kill-after=10 $(( seconds + 180 )) \
        java "${java_opts[@]}" -Djava.io.tmpdir="$dir/tmp" -cp "$cp" com.code_intelligence.jazzer.Jazzer \
        --target_class="${test%#*}" --target_method="${test#*#}" \
        --keep_going=50 --reproducer_path="$dir/findings" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$dir/findings/" "$dir/corpus" \
        >"$dir/log" 2>&1 || status=$?
    wall=$(( SECONDS - start ))
    # libFuzzer's closing lines: "#123456 DONE cov: ..." and "Done 123456 runs in 30 second(s)";
    # after a finding it prints its stats, the last ones are the run's.
    runs=$(grep -a -oE '^stat::number_of_executed_units: *[0-9]+' "$dir/log" | tail -1 | grep -oE '[0-9]+$' || true)
    [[ -n $runs ]] || runs=$(grep -a -oE '^#[0-9]+[[:space:]]+DONE' "$dir/log" | tail -1 | grep -oE '[0-9]+' || true)
    runs=${runs:-0}
    secs=$(grep -a -oE '^Done [0-9]+ runs in [0-9]+ second' "$dir/log" | tail -1 | awk '{print $5}' || true)
    line="$name: $runs executions in ${secs:-$wall} s"
    total=$(( total + runs ))
    mapfile -t found < <(find "$dir/findings" -maxdepth 1 -type f \
        \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
    if (( ${#found[@]} > 0 )); then
        failed=1
        line+=", ${#found[@]} finding(s) in $dir/findings (log: $dir/log)"
        grep -a -E '^== Java Exception:|^==[0-9]+== ERROR: libFuzzer' "$dir/log" | sort -u | cut -c1-300 | sed 's/^/    /'
    elif (( status != 0 )) || (( runs == 0 )); then
        failed=1
        line+=", but Jazzer exited with $status and no finding: see $dir/log"
        tail -20 "$dir/log" | sed 's/^/    /'
    fi
    echo "$line"
    summary+=("$line")
done

echo
echo "fuzz.sh: $seconds s per target, $total executions in all"
printf '%s\n' "${summary[@]}"
(( ! failed )) || die "FAIL: fuzzing found a crash, a hang or an error (findings under $out/*/findings, outside git)"
echo "no findings"
