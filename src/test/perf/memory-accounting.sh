#!/usr/bin/env bash
# Where the exporter's resident memory goes, by mapping, for one or more versions side by side
# in one window: each run as its own package runs it (its launcher, JVM flags and class-data
# archive, dumped from its own class list), all scraped once a second by one Prometheus
# (OpenMetrics, gzip, one kept-alive connection each), read once after WARMUP + WINDOW
# seconds (default 540 + 90: the measure of the resource table).
#
#   src/test/perf/memory-accounting.sh [NAME=CHECKOUT...]     (default: main=.)
#
# CHECKOUT is a checkout of this project with its jar built (target/sysload-exporter.jar), of
# any version: with lists per Java version (debian/classlists) or the single list of before
# (debian/sysload-exporter.classlist), with its dump script or without (then dumped as its
# postinst did), with a JVM flags file or with the flags in its launcher, e.g.
#
#   git worktree add /tmp/old 8e5ec6d && (cd /tmp/old && mvn -B -q package -DskipTests)
#   src/test/perf/memory-accounting.sh old=/tmp/old new=.
#
# For every run it prints VmRSS and where its resident pages are (/proc/PID/pagemap, page by
# page: the kernel merges mappings side by side): the class-data archive, the compressed class
# space and the rest of the metaspace, libjvm.so, the other libraries and files, the JDK's
# module image, the Java heap, the code cache, thread stacks, malloc's arenas (the JVM's own
# allocations, the compiler's, NIO's buffers), the anonymous rest. The JVM's reservations come
# from jcmd VM.info and VM.metaspace, asked after the pages are read; a thread stack is the
# mapping its thread's stack pointer is in (/proc/PID/task/TID/syscall). NMT=1 (default) starts
# a twin of each run with -XX:NativeMemoryTracking=summary and -Xlog:class+load, for NMT's
# committed memory by category and the classes loaded (how many from the archive): NMT costs
# memory of its own, so take the resident figures from the runs without it. KEEP=DIR keeps
# what each run's figures were made from. Needs: prometheus, curl, jcmd, python3. Loopback
# only; everything it starts is stopped at exit.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"

WARMUP=${WARMUP:-540}
WINDOW=${WINDOW:-90}
NMT=${NMT:-1}
KEEP=${KEEP:-}
[ $# -gt 0 ] || set -- main=.
for tool in prometheus curl jcmd python3; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done

names=()
pids=()
ports=()
# start NAME CHECKOUT [NMT]: the checkout's jar through its launcher, flags and archive.
start() {
    local name=$1 dir=$2 nmt=${3:-} stage=$WORK/$1 port opts out wrapper stream list
    mkdir -p "$stage"
    cp "$dir/target/sysload-exporter.jar" "$stage/sysload-exporter.jar"
    # The archive as that version's postinst dumps it: lists per Java version or one list,
    # by its dump script or, before there was one, by the command postinst ran.
    list=$dir/debian/classlists
    [ -d "$list" ] || list=$dir/debian/sysload-exporter.classlist
    if [ -f "$dir/debian/sysload-exporter.dump-cds" ]; then
        out=$(sh "$dir/debian/sysload-exporter.dump-cds" "$list" \
            "$stage/sysload-exporter.jar" "$stage/sysload-exporter.jsa" 2>&1 </dev/null) ||
            { printf '%s\n' "$out" >&2; die "class-data dump for $name failed"; }
    else
        out=$(java -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile="$list" \
            -XX:SharedArchiveFile="$stage/sysload-exporter.jsa" -cp "$stage/sysload-exporter.jar" 2>&1 </dev/null) ||
            { printf '%s\n' "$out" >&2; die "class-data dump for $name failed"; }
    fi
    opts=${JAVA_OPTS:-}
    [ -z "$nmt" ] || opts="$opts -XX:NativeMemoryTracking=summary -Xlog:class+load=info:file=$stage/classes.log"
    port=$(free_port "${ports[@]}")
    # The log stands for the journal, as under systemd (JOURNAL_STREAM names it).
    : >"$stage/log"
    stream=$(stat -c %d:%i "$stage/log")
    SYSLOAD_EXPORTER_JAR="$stage/sysload-exporter.jar" SYSLOAD_EXPORTER_JVM_FLAGS="$dir/debian/sysload-exporter.jvm-flags" \
        SYSLOAD_EXPORTER_CDS_ARCHIVE="$stage/sysload-exporter.jsa" JAVA_OPTS="$opts" \
        JOURNAL_STREAM=$stream \
        sh "$dir/debian/sysload-exporter.launcher" --web.listen-address="127.0.0.1:$port" >>"$stage/log" 2>&1 &
    wrapper=$!
    on_exit stop_process "$wrapper"
    wait_first_sample "http://127.0.0.1:$port/metrics" "$wrapper" "$stage/log"
    # The launcher execs the JVM: the same process.
    grep -qF "$stage/sysload-exporter.jsa" "/proc/$wrapper/maps" || die "$name does not map its class-data archive"
    names+=("$name")
    pids+=("$wrapper")
    ports+=("$port")
}

for entry in "$@"; do
    [[ $entry =~ ^([A-Za-z0-9_-]+)=(.+)$ ]] || die "runs are NAME=CHECKOUT, not '$entry'"
    name=${BASH_REMATCH[1]}
    dir=$(cd "${BASH_REMATCH[2]}" && pwd) || die "no checkout ${BASH_REMATCH[2]}"
    [ -s "$dir/target/sysload-exporter.jar" ] || die "$dir/target/sysload-exporter.jar missing (mvn -B -q package -DskipTests)"
    start "$name" "$dir"
    [ "$NMT" = 0 ] || start "$name-nmt" "$dir" nmt
done

prometheus_port=$(free_port "${ports[@]}")
{
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n'
    for i in "${!names[@]}"; do
        printf '  - job_name: %s\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "${names[i]}" "${ports[i]}"
    done
} >"$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$prometheus_port" >"$WORK/prometheus.log" 2>&1 &
on_exit stop_process "$!"

echo "memory-accounting: $(java -version 2>&1 | sed -n 2p); 1 scrape/s each by Prometheus;" \
    "read after $((WARMUP + WINDOW)) s; $(nproc) CPUs"
sleep $((WARMUP + WINDOW))

# The resident pages first, for all, then what jcmd says (attaching costs a thread and some
# memory). A page is counted where it is: one mapping of the kernel's may hold two of the JVM's
# reservations side by side.
for i in "${!names[@]}"; do
    pid=${pids[i]}
    kill -0 "$pid" 2>/dev/null || die "${names[i]} exited (log: $(tail -n 3 "$WORK/${names[i]}/log"))"
    python3 - "$pid" >"$WORK/${names[i]}/pages" <<'PY'
import re, struct, sys

# Each mapping with resident pages: lo hi perms path, then the addresses of its resident pages
# (pagemap bit 63), as runs "start+pages". A thread's stack pointer (the second last field of
# syscall, for a thread blocked in a system call) marks its stack.
pid = sys.argv[1]
page = 4096
with open(f"/proc/{pid}/smaps") as smaps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
    lo = None
    for line in smaps:
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$", line)
        if m:
            lo, hi, perms, path = int(m[1], 16), int(m[2], 16), m[3], m[4].strip()
        elif line.startswith("Rss:") and int(line.split()[1]) > 0:
            pagemap.seek(lo // page * 8)
            entries = struct.unpack(f"<{(hi - lo) // page}Q", pagemap.read((hi - lo) // page * 8))
            runs, start = [], None
            for k, e in enumerate(entries + (0,)):
                if e >> 63 and start is None:
                    start = k
                elif not e >> 63 and start is not None:
                    runs.append(f"{lo + start * page:x}+{k - start}")
                    start = None
            print(f"map {lo:x} {hi:x} {perms} {path or '-'} {' '.join(runs)}")
for task in __import__("os").listdir(f"/proc/{pid}/task"):
    try:
        fields = open(f"/proc/{pid}/task/{task}/syscall").read().split()
    except OSError:
        continue
    if len(fields) > 3 and fields[0] != "running":
        print(f"sp {fields[-2][2:]}")
# The process's own figures, at the same moment.
for line in open(f"/proc/{pid}/status"):
    key, _, value = line.partition(":")
    if key in ("VmRSS", "RssAnon", "Threads"):
        print(f"status {key} {value.split()[0]}")
PY
done
for i in "${!names[@]}"; do
    jcmd "${pids[i]}" VM.info >"$WORK/${names[i]}/vm.info" 2>&1 || die "jcmd VM.info ${names[i]} failed"
    jcmd "${pids[i]}" VM.metaspace vslist >"$WORK/${names[i]}/metaspace" 2>&1 || die "jcmd VM.metaspace ${names[i]} failed"
    if [[ ${names[i]} == *-nmt ]]; then
        jcmd "${pids[i]}" VM.native_memory summary scale=KB >"$WORK/${names[i]}/nmt" 2>&1 ||
            die "jcmd VM.native_memory ${names[i]} failed"
    fi
done
if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP"
    for name in "${names[@]}"; do
        for f in pages vm.info metaspace nmt; do [ ! -f "$WORK/$name/$f" ] || cp "$WORK/$name/$f" "$KEEP/$name.$f"; done
    done
fi

python3 - "$WORK" "${names[@]}" <<'PY'
import re, sys

work, names = sys.argv[1], sys.argv[2:]
CATEGORIES = ["class-data archive", "class space", "metaspace", "libjvm.so", "other libraries, files",
              "module image", "Java heap", "code cache", "thread stacks", "malloc arenas", "other anonymous"]
PAGE = 4096


def jvm_ranges(name):
    """The JVM's own reservations, [lo, hi) by category, from VM.info and VM.metaspace."""
    info = open(f"{work}/{name}/vm.info").read()
    out = []
    m = re.search(r"Heap address: 0x([0-9a-f]+), size: (\d+) MB", info)
    out.append(("Java heap", int(m[1], 16), int(m[1], 16) + int(m[2]) * 2**20))
    m = re.search(r"CDS archive\(s\) mapped at: \[0x([0-9a-f]+)-0x([0-9a-f]+)", info)
    if m:
        out.append(("class-data archive", int(m[1], 16), int(m[2], 16)))
    m = re.search(r"Compressed class space mapped at: 0x([0-9a-f]+)-0x([0-9a-f]+)", info)
    if m:
        out.append(("class space", int(m[1], 16), int(m[2], 16)))
    m = re.search(r"CodeCache:.*\n bounds \[0x([0-9a-f]+), 0x[0-9a-f]+, 0x([0-9a-f]+)\]", info)
    out.append(("code cache", int(m[1], 16), int(m[2], 16)))
    # Every node of the metaspace's lists (the class space's one is inside it, counted above).
    for m in re.finditer(r"node #\d+: base 0x([0-9a-f]+): reserved=([\d.]+) KB", open(f"{work}/{name}/metaspace").read()):
        out.append(("metaspace", int(m[1], 16), int(m[1], 16) + int(float(m[2]) * 1024)))
    return out


def account(name):
    maps, sps, status = [], [], {}
    for line in open(f"{work}/{name}/pages"):
        f = line.split()
        if f[0] == "sp":
            sps.append(int(f[1], 16))
        elif f[0] == "status":
            status[f[1]] = f[2]
        else:
            runs = [(int(a, 16), int(n)) for a, n in (r.split("+") for r in f[5:])]
            maps.append((int(f[1], 16), int(f[2], 16), f[3], f[4], runs))
    jvm = jvm_ranges(name)
    # An arena's first page, its header, is always resident: a mapping of no file starting on a
    # 64 MB boundary outside the JVM's reservations is one.
    arena_bases = {lo for lo, hi, perms, path, runs in maps
                   if path == "-" and lo % 2**26 == 0 and not any(a <= lo < b for c, a, b in jvm)}
    kb = dict.fromkeys(CATEGORIES, 0)
    for lo, hi, perms, path, runs in maps:
        if path.endswith(".jsa"):
            by_path = "class-data archive"
        elif path.endswith("/libjvm.so"):
            by_path = "libjvm.so"
        elif path.endswith("/lib/modules"):
            by_path = "module image"
        elif path == "[heap]":
            by_path = "malloc arenas"  # the main arena
        elif path == "[stack]" or any(lo <= sp < hi for sp in sps):
            by_path = "thread stacks"
        elif path != "-":
            by_path = "other libraries, files"
        else:
            by_path = None
        for start, pages in runs:
            for addr in range(start, start + pages * PAGE, PAGE):
                c = by_path or next((c for c, a, b in jvm if a <= addr < b), None)
                if c is None:
                    # glibc's arenas other than the main one: reserved 64 MB at a time, on a 64 MB
                    # boundary. The rest: what the JVM maps outside its reservations, and malloc's
                    # large blocks, mapped one by one.
                    c = "malloc arenas" if addr - addr % 2**26 in arena_bases else "other anonymous"
                kb[c] += PAGE // 1024
    return kb, status


width = max(12, *(len(n) + 2 for n in names))
head = lambda title: print(f"{title:<24}" + "".join(f"{n:>{width}}" for n in names))
head("resident MB")
results = {n: account(n) for n in names}
for c in CATEGORIES:
    print(f"{c:<24}" + "".join(f"{results[n][0][c] / 1024:>{width}.1f}" for n in names))
print(f"{'VmRSS':<24}" + "".join(f"{int(results[n][1]['VmRSS']) / 1024:>{width}.1f}" for n in names))
print(f"{'  of it anonymous':<24}" + "".join(f"{int(results[n][1]['RssAnon']) / 1024:>{width}.1f}" for n in names))
print(f"{'threads':<24}" + "".join(f"{results[n][1]['Threads']:>{width}}" for n in names))

nmts = [n for n in names if n.endswith("-nmt")]
if nmts:
    print()
    nmt = {}
    for n in nmts:
        cats = {}
        for line in open(f"{work}/{n}/nmt"):
            m = re.match(r"^(?:-\s*(.+?)|Total:) \(?reserved=\d+KB, committed=(\d+)KB", line.strip())
            if m:
                cats[m[1] or "Total"] = int(m[2])
        nmt[n] = cats
    order = sorted({c for cats in nmt.values() for c in cats}, key=lambda c: -max(x.get(c, 0) for x in nmt.values()))
    width2 = max(12, *(len(n) + 2 for n in nmts))
    print(f"{'NMT committed MB':<24}" + "".join(f"{n:>{width2}}" for n in nmts))
    for c in order:
        if max(x.get(c, 0) for x in nmt.values()) >= 100:
            print(f"{c:<24}" + "".join(f"{nmt[n].get(c, 0) / 1024:>{width2}.1f}" for n in nmts))
    for label, pattern in (("classes loaded", "source: "), ("  from the archive", "source: shared objects file")):
        counts = []
        for n in nmts:
            counts.append(sum(1 for line in open(f"{work}/{n}/classes.log") if pattern in line))
        print(f"{label:<24}" + "".join(f"{c:>{width2}}" for c in counts))
PY
