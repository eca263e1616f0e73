#!/usr/bin/env bash
# Where the exporter's CPU goes at steady state: the jar as packaged (the package's launcher,
# JVM flags and a class-data archive dumped as postinst does), scraped once a second on one
# kept-alive connection with Prometheus's headers (OpenMetrics, gzip), sampled by perf
# (cpu-clock, call graphs through frame pointers) for WINDOW seconds after WARMUP. Prints
# each thread's share of the samples, then the frames that most samples of the two busy
# threads pass through (inclusive), and each thread's CPU from schedstat over the window.
#
#   src/test/perf/cpu-profile.sh [WARMUP] [WINDOW] [JAR]     (default 240 240)
#
# The JIT's symbols come from the JVM's perf map (jcmd Compiler.perfmap, at the window's
# end); -XX:+PreserveFramePointer is added, which costs the compiled code a register. KEEP=DIR
# keeps perf.data, the map and perf script's text. Needs root or perf_event_paranoid <= 1,
# perf (Debian's linux-perf), jcmd, python3. Loopback only; everything started is stopped.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"

WARMUP=${1:-240}
WINDOW=${2:-240}
JAR=${3:-target/sysload-exporter.jar}
KEEP=${KEEP:-}
need perf jcmd python3 curl

dump_cds debian/classlists "$JAR" "$WORK/sysload-exporter.jsa"
port=$(free_port)
JAVA_OPTS="${JAVA_OPTS:-} -XX:+PreserveFramePointer" SYSLOAD_EXPORTER_CDS_ARCHIVE="$WORK/sysload-exporter.jsa" \
    start_exporter "$JAR" "$WORK/exporter.log" --web.listen-address="127.0.0.1:$port"
wait_first_sample "http://127.0.0.1:$port/metrics" "$EXPORTER_PID" "$WORK/exporter.log"
java=$EXPORTER_PID # the launcher execs java

# The scraper: one connection, a request a second on the second, as Prometheus sends it.
python3 - "$port" <<'EOF' &
import http.client, sys, time
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
headers = {"Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
           "Accept-Encoding": "gzip", "User-Agent": "Prometheus/2.42.0", "X-Prometheus-Scrape-Timeout-Seconds": "1"}
due = time.time()
while True:
    c.request("GET", "/metrics", headers=headers)
    c.getresponse().read()
    due += 1
    time.sleep(max(0, due - time.time()))
EOF
on_exit stop_process "$!"

# schedstat's first field: nanoseconds the thread ran.
threads() {
    local t
    for t in /proc/"$java"/task/*; do
        printf '%s\t%s\t%s\n' "${t##*/}" "$(cut -d ' ' -f 1 "$t/schedstat")" "$(cat "$t/comm")"
    done 2>/dev/null
}
sleep "$WARMUP"
threads >"$WORK/threads.before"
perf record -q -F 4000 -e cpu-clock -g -p "$java" -o "$WORK/perf.data" -- sleep "$WINDOW"
threads >"$WORK/threads.after"
jcmd "$java" Compiler.perfmap >/dev/null
perf script -i "$WORK/perf.data" 2>/dev/null >"$WORK/perf.txt"
[ -z "$KEEP" ] || { mkdir -p "$KEEP" && cp "$WORK/perf.data" "$WORK/perf.txt" "/tmp/perf-$java.map" "$KEEP/"; }
rm -f "/tmp/perf-$java.map"

python3 - "$WORK/perf.txt" "$WORK/threads.before" "$WORK/threads.after" "$WINDOW" <<'EOF'
import collections, re, sys
samples, comm, stack = [], None, []
for line in open(sys.argv[1], errors="replace"):
    if not line.strip():
        if comm:
            samples.append((comm, stack))
        comm, stack = None, []
    elif not line[0].isspace():
        # "comm PID[/TID] ...": a thread's name may hold spaces ("C1 CompilerThre")
        m = re.match(r"(.*?)\s+\d+(/\d+)?\s", line)
        comm = m.group(1) if m else line.split()[0]
    else:
        parts = line.strip().split(None, 1)
        frame = parts[1] if len(parts) > 1 else parts[0]
        # "ret name+0x12 (dso)" -> "name": the method, not the offset or library
        frame = re.sub(r"\+0x[0-9a-f]+ \(.*\)$| \(.*\)$", "", frame)
        stack.append(re.sub(r"^\S+ (?=\S+\()", "", frame))
n = len(samples)
print(f"{n} samples in {sys.argv[4]} s; share of them by thread:")
by_thread = collections.Counter(c for c, _ in samples)
for c, k in by_thread.most_common(12):
    print(f"  {100 * k / n:5.1f} %  {c}")
for thread, _ in by_thread.most_common(2):
    inclusive = collections.Counter()
    for c, s in samples:
        if c == thread:
            for f in set(s):
                inclusive[f] += 1
    print(f"frames of {thread} (inclusive, share of all samples; those in nearly all of its samples,")
    print("the thread's start and loop, left out):")
    below = [(f, k) for f, k in inclusive.most_common() if k < 0.9 * by_thread[thread]]
    for f, k in below[:30]:
        print(f"  {100 * k / n:5.1f} %  {f[:150]}")
before = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(sys.argv[2])}
rows, total = [], 0
for l in open(sys.argv[3]):
    tid, ns, name = l.rstrip("\n").split("\t")
    ran = int(ns) - (int(before[tid][1]) if tid in before else 0)
    total += ran
    rows.append((ran, name))
seconds = float(sys.argv[4])
print("CPU over the window by thread (schedstat; perf's own sampling included):")
for ran, name in sorted(rows, reverse=True)[:12]:
    print(f"  {ran / seconds / 1e3:8.1f} us/s  {name}")
print(f"  {total / seconds / 1e3:8.1f} us/s  all, {total / seconds * 60 / 1e9:.3f} s a minute")
EOF
