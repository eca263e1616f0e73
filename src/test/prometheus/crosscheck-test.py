#!/usr/bin/env python3
"""Cross-checks sysload-exporter against Debian's prometheus-node-exporter under real load.

    python3 src/test/prometheus/crosscheck-test.py [path/to/sysload-exporter.jar]

Builds nothing: the jar defaults to target/sysload-exporter.jar. Needs java, prometheus,
prometheus-node-exporter and stress-ng (Debian packages of those names).

Both exporters run on free 127.0.0.1 ports and one Prometheus scrapes them every second.
Four phases follow: a quiet baseline, `stress-ng --cpu <number of CPUs>` for 20 s, the same
at `--cpu-load 50` (every CPU about half busy, so the percentages are tested mid-range and not
only where both sources are pinned at 100) for 20 s, then 20 s of direct (O_DIRECT, so not absorbed by the page cache) sequential I/O with
`stress-ng --hdd 1` in a directory on a disk-backed filesystem. Over the steady part of each
phase (evaluated at its end with time=, so every number covers exactly that window) it
compares

    all-CPU utilisation   100 - avg_over_time(sysload_cpu_percent{mode="idle"}[W])
                    with  100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[W])))
    disk utilisation      avg_over_time(sysload_io_util{device=D}[W])
                    with  100 * rate(node_disk_io_time_seconds_total{device=D}[W])

where D is the device node_exporter saw busiest during the disk phase. All-CPU utilisation must
agree within 5 points in the two CPU phases and D's utilisation within 5 points in the disk phase,
where the test controls the load; max_over_time(sysload_sysload[W]) must exceed 90 under CPU
load, and the disk must really have been busy (node_exporter: at least 50 %) under the disk
load. The other pairs (CPU at baseline and under disk load, the disk at baseline and under CPU
load) are printed but not judged: there the load is whatever else runs on the machine, and the
two sources cut a window at different sub-second points (the exporter's values are its own 1 s
samples, node_exporter's are counters read at each scrape), so a burst that starts or ends near
a window edge is counted differently. Measured on a 2-CPU VM: under steady load 10 s windows
agree within about 1 point; under random 1-3 s bursts of full CPU they differed by 3.8 points
on average and 7.3 at most, and moving the exporter's window by a second did not help.
Prints every number. Stops everything it started and removes its files; gives up after 240 s.
"""

import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import promharness as h  # noqa: E402

TIME_LIMIT = 240
TOLERANCE = 5.0
PHASE_SECONDS = 20
BASELINE_SECONDS = 15
TRIM_START = 3  # stress-ng forks its workers, the exporter's 1 s sample lags
TRIM_END = 2
STRESS = os.environ.get("STRESS_NG", "/usr/bin/stress-ng")


def disk_backed_dir():
    """A directory whose filesystem sits on a block device (not tmpfs), for the I/O phase."""
    candidates = [os.environ.get("SYSLOAD_STRESS_DIR"), "/var/tmp", os.path.join(h.REPO, "target")]
    mounts = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, _, right = line.partition(" - ")
            mount_point = left.split()[4].replace("\\040", " ")
            fstype, source = right.split()[:2]
            mounts.append((mount_point, fstype, source))
    for c in candidates:
        if not c or not os.path.isdir(c) or not os.access(c, os.W_OK):
            continue
        real = os.path.realpath(c)
        best = max((m for m in mounts if real == m[0] or real.startswith(m[0].rstrip("/") + "/")),
                   key=lambda m: len(m[0]), default=None)
        if best and best[1] not in ("tmpfs", "ramfs") and "zram" not in best[2]:
            return c, best
    raise h.TestFailure("no writable disk-backed directory among %s; set SYSLOAD_STRESS_DIR"
                        % [c for c in candidates if c])


def run_stress(hs, name, args):
    """Runs stress-ng to completion (bounded) in its own process group; returns (start, end)."""
    start = time.time()
    p = hs.spawn(name, [STRESS] + args + ["--timeout", "%ds" % PHASE_SECONDS, "--metrics-brief"])
    try:
        p.wait(timeout=PHASE_SECONDS + 25)
    except subprocess.TimeoutExpired:
        hs.stop(p)
        raise h.TestFailure("%s did not finish within %d s" % (name, PHASE_SECONDS + 25))
    end = time.time()
    hs.stop(p)  # reaps any worker left behind in its group
    if p.returncode != 0:
        raise h.TestFailure("%s exited %d:\n%s" % (name, p.returncode, hs.log_tail(name)))
    for line in hs.log_tail(name, 4).splitlines():
        h.log("     " + line.strip())
    return start, end


def window(start, end):
    """The steady part of a phase: (evaluation time, range in whole seconds)."""
    at = end - TRIM_END
    seconds = int(at - (start + TRIM_START))
    if seconds < 5:
        raise h.TestFailure("phase too short: %.1f s" % (end - start))
    return at, "%ds" % seconds


def measure(prom, name, start, end, device):
    at, w = window(start, end)
    m = {"phase": name, "window": w}
    m["cpu_sysload"] = prom.value('100 - avg_over_time(sysload_cpu_percent{mode="idle"}[%s])' % w, at)
    m["cpu_node"] = prom.value('100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[%s])))' % w, at)
    m["io_sysload"] = prom.value('avg_over_time(sysload_io_util{device="%s"}[%s])' % (device, w), at)
    m["io_node"] = prom.value('100 * rate(node_disk_io_time_seconds_total{device="%s"}[%s])' % (device, w), at)
    m["sysload_max"] = prom.value("max_over_time(sysload_sysload[%s])" % w, at)
    m["sysload_avg"] = prom.value("avg_over_time(sysload_sysload[%s])" % w, at)
    m["samples"] = prom.value("count_over_time(sysload_sysload[%s])" % w, at)
    return m


def main():
    jar = h.jar_from_args(sys.argv)
    h.require_executables(h.JAVA, h.PROMETHEUS, h.NODE_EXPORTER, STRESS)
    cpus = os.cpu_count() or 1

    with h.Harness("crosscheck", TIME_LIMIT) as hs:
        stress_parent, mount = disk_backed_dir()
        stress_dir = hs.temp_dir_in(stress_parent)
        _, exporter_port = hs.start_exporter(jar)
        _, node_port = hs.start_node_exporter()
        _, prom = hs.start_prometheus({"sysload": "%s:%d" % (h.LOOPBACK, exporter_port),
                                       "node": "%s:%d" % (h.LOOPBACK, node_port)})
        h.log("exporter 127.0.0.1:%d, node_exporter 127.0.0.1:%d, Prometheus %s; %d CPUs; "
              "disk phase in %s (%s on %s)" % (exporter_port, node_port, prom.base, cpus, stress_dir,
                                               mount[1], mount[2]))

        def both_scraped():
            kind, r = prom.query('count_over_time(up{job=~"sysload|node"}[30s]) >= 3 and on (job) up == 1')
            return len(r) == 2

        hs.wait_until("both exporters scraped", both_scraped, 40)

        base_start = time.time()
        h.log("baseline: %d s without added load" % BASELINE_SECONDS)
        time.sleep(BASELINE_SECONDS)
        base_end = time.time()

        h.log("CPU phase: stress-ng --cpu %d for %d s" % (cpus, PHASE_SECONDS))
        cpu_start, cpu_end = run_stress(hs, "stress-cpu", ["--cpu", str(cpus)])
        time.sleep(3)

        h.log("half CPU phase: stress-ng --cpu %d --cpu-load 50 for %d s" % (cpus, PHASE_SECONDS))
        half_start, half_end = run_stress(hs, "stress-cpu-half", ["--cpu", str(cpus), "--cpu-load", "50"])
        time.sleep(3)

        h.log("disk phase: stress-ng --hdd 1 with O_DIRECT for %d s" % PHASE_SECONDS)
        disk_start, disk_end = run_stress(hs, "stress-hdd", [
            "--hdd", "1", "--hdd-opts", "direct,wr-seq,rd-seq", "--hdd-bytes", "256m",
            "--temp-path", stress_dir])
        time.sleep(3)  # let the last scrapes of the window land

        # The disk node_exporter saw busiest while stress-ng wrote and read.
        at, w = window(disk_start, disk_end)
        kind, busiest = prom.query("topk(1, rate(node_disk_io_time_seconds_total[%s]))" % w, at)
        if not busiest:
            raise h.TestFailure("node_exporter reports no disk")
        device = busiest[0]["metric"]["device"]
        kind, ours = prom.query('sysload_io_util{device="%s"}' % device)
        if not ours:
            raise h.TestFailure("sysload-exporter does not watch %s, the disk under the I/O load" % device)
        h.log("busiest disk during the disk phase: %s" % device)

        results = [measure(prom, "baseline", base_start, base_end, device),
                   measure(prom, "cpu", cpu_start, cpu_end, device),
                   measure(prom, "cpu-half", half_start, half_end, device),
                   measure(prom, "disk", disk_start, disk_end, device)]

    # Report, then judge.
    h.log("")
    h.log("judged: all-CPU in the cpu phases, disk in the disk phase; the rest for information")
    h.log("phase     window samples | all-CPU %%: sysload  node   diff | %s util %%: sysload  node   diff"
          " | sysload avg  max" % device)
    for m in results:
        h.log("%-9s %6s %7d |          %7.1f %6.1f %6.1f |            %7.1f %6.1f %6.1f | %11.1f %5.1f" % (
            m["phase"], m["window"], m["samples"], m["cpu_sysload"], m["cpu_node"],
            m["cpu_sysload"] - m["cpu_node"], m["io_sysload"], m["io_node"], m["io_sysload"] - m["io_node"],
            m["sysload_avg"], m["sysload_max"]))
    h.log("")

    failures = []
    by_phase = {m["phase"]: m for m in results}
    # Judged where the test controls the load; the other pairs are printed above for information.
    for phase, what in (("cpu", "cpu"), ("cpu-half", "cpu"), ("disk", "io")):
        m = by_phase[phase]
        diff = abs(m[what + "_sysload"] - m[what + "_node"])
        if diff > TOLERANCE:
            failures.append("%s phase: %s differs by %.1f points (sysload-exporter %.1f, node_exporter %.1f)"
                            % (phase, what, diff, m[what + "_sysload"], m[what + "_node"]))
    if by_phase["cpu"]["sysload_max"] <= 90:
        failures.append("cpu phase: max sysload %.1f, not above 90" % by_phase["cpu"]["sysload_max"])
    if by_phase["cpu"]["cpu_node"] < 80:
        failures.append("cpu phase: node_exporter saw only %.1f %% CPU; the load did not happen"
                        % by_phase["cpu"]["cpu_node"])
    if by_phase["disk"]["io_node"] < 50:
        failures.append("disk phase: node_exporter saw %s only %.1f %% busy; the I/O did not reach the disk"
                        % (device, by_phase["disk"]["io_node"]))
    if failures:
        raise h.TestFailure("cross-check:\n  " + "\n  ".join(failures))
    h.log("PASS crosscheck-test: all-CPU utilisation under full and half CPU load (diff %.1f, %.1f) and %s "
          "utilisation under disk load (diff %.1f) agree within %.0f points; sysload peaked at %.1f under CPU load"
          % (by_phase["cpu"]["cpu_sysload"] - by_phase["cpu"]["cpu_node"],
             by_phase["cpu-half"]["cpu_sysload"] - by_phase["cpu-half"]["cpu_node"], device,
             by_phase["disk"]["io_sysload"] - by_phase["disk"]["io_node"], TOLERANCE,
             by_phase["cpu"]["sysload_max"]))


if __name__ == "__main__":
    h.run_test(main)
