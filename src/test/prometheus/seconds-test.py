#!/usr/bin/env python3
"""The seconds behind the means, proven on a real Prometheus.

    python3 src/test/prometheus/seconds-test.py [path/to/sysload-exporter.jar] [--minutes N]

Builds nothing: the jar defaults to target/sysload-exporter.jar. Needs java and prometheus
(Debian package of that name).

The exporter runs on a fixture host: the virtio-2cpu tree of src/test/resources/fixtures,
whose /proc/stat this test rewrites once a second so that the host is at 100 for 5 s and at
10 for the next 10, over and over (both CPUs all user time, then a tenth of it). Each rewrite
falls half a second after one of the exporter's readings (its schedule is read from
sysload_last_sample_timestamp_seconds), so every sample covers exactly one second of the
fixture and the switches fall on sample boundaries. Debian's Prometheus scrapes it every
15 s, as a fleet would, and sees only one second in fifteen. After --minutes (default 10) of
fixture time it asserts, over that window:

    share of seconds at or above 90   1/3 within 0.03   (from sysload_per_second_sysload)
    99th percentile                   100 within 0.1    (histogram_quantile, bucket 100)
    1-minute mean                     40 within 3       (what the means say: no saturation)
    saturated seconds of cpu          a third of the seconds counted, within 0.03

Prints every number. Stops everything it started and removes its files.
"""

import os
import shutil
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import promharness as h  # noqa: E402

FIXTURE = os.path.join(h.REPO, "src", "test", "resources", "fixtures", "virtio-2cpu")
HIGH_SECONDS = 5
CYCLE_SECONDS = 15
TICKS = 100  # per CPU per second, as USER_HZ counts them
SCRAPE = 15
TOLERANCE_SHARE = 0.03


class LoadWriter(threading.Thread):
    """Rewrites the fixture's stat once a second, half a second after the exporter reads it."""

    def __init__(self, path, phase):
        super().__init__(daemon=True)
        self.path = path
        self.phase = phase  # wall-clock seconds of one of the exporter's readings
        self.stop = threading.Event()
        self.seconds = 0
        self.busy = 0
        self.idle = 0

    def write(self):
        tmp = self.path + ".new"
        with open(tmp, "w") as f:
            # both CPUs alike; the aggregate line is their sum, as the kernel's is
            f.write("cpu  %d 0 0 %d 0 0 0 0 0 0\n" % (2 * self.busy, 2 * self.idle))
            for cpu in range(2):
                f.write("cpu%d %d 0 0 %d 0 0 0 0 0 0\n" % (cpu, self.busy, self.idle))
            f.write("intr 0\nctxt 0\nbtime 1764000000\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n")
        os.replace(tmp, self.path)

    def run(self):
        self.write()
        next_at = self.phase + 0.5
        while next_at < time.time():
            next_at += 1
        while not self.stop.is_set():
            self.stop.wait(max(0.0, next_at - time.time()))
            high = self.seconds % CYCLE_SECONDS < HIGH_SECONDS
            busy = TICKS if high else TICKS // 10
            self.busy += busy
            self.idle += TICKS - busy
            self.seconds += 1
            self.write()
            next_at += 1


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    minutes = 10
    if "--minutes" in sys.argv:
        minutes = int(sys.argv[sys.argv.index("--minutes") + 1])
        args = [a for a in args if a != str(minutes)]
    jar = h.jar_from_args([sys.argv[0]] + args)
    h.require_executables(h.PROMETHEUS, h.JAVA)
    window = minutes * 60
    with h.Harness("seconds", time_limit=window + 300) as hs:
        proc = os.path.join(hs.tmp, "proc")
        shutil.copytree(os.path.join(FIXTURE, "proc"), proc)
        stat = os.path.join(proc, "stat")
        writer = LoadWriter(stat, 0)
        writer.write()  # all zero: the first samples are idle until the writer runs

        def exporter(port):
            return [h.JAVA, "-jar", jar, "--web.listen-address=%s:%d" % (h.LOOPBACK, port),
                    "--path.procfs=" + proc, "--path.sysfs=" + os.path.join(FIXTURE, "sys")]

        _, port = hs.start_listener("sysload-exporter", exporter, "/metrics",
                                    lambda body: "\nsysload_sysload " in body, timeout=40)
        metrics = "http://%s:%d/metrics" % (h.LOOPBACK, port)
        phase = None
        for line in h.http_get(metrics)[1].splitlines():
            if line.startswith("sysload_last_sample_timestamp_seconds "):
                phase = float(line.split()[1])
        writer.phase = phase
        writer.start()
        h.log("exporter on port %d, reading at .%03d of each second; the load writes half a second later"
              % (port, int(phase * 1000) % 1000))

        cfg = os.path.join(hs.tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: %ds\n  scrape_timeout: 5s\n"
                    "scrape_configs:\n  - job_name: sysload\n    static_configs:\n"
                    "      - targets: ['%s:%d']\n" % (SCRAPE, h.LOOPBACK, port))
        data = os.path.join(hs.tmp, "tsdb")

        def prometheus(p):
            return [h.PROMETHEUS, "--config.file=" + cfg, "--storage.tsdb.path=" + data,
                    "--web.listen-address=%s:%d" % (h.LOOPBACK, p), "--log.level=warn"]

        _, pport = hs.start_listener("prometheus", prometheus, "/-/ready", lambda body: True, timeout=60)
        prom = h.Prometheus("http://%s:%d" % (h.LOOPBACK, pport))

        # A minute for the first scrapes and the 1-minute mean to fill, then the window.
        start = time.time() + 60
        end = start + window
        h.log("measuring %d minutes of fixture time, to %s" % (minutes, time.strftime("%H:%M:%S", time.localtime(end))))
        while time.time() < end + SCRAPE + 2:
            time.sleep(5)
        writer.stop.set()
        at = end
        w = "[%ds]" % window
        count = prom.value("increase(sysload_per_second_sysload_count%s)" % w, at)
        below = prom.value('increase(sysload_per_second_sysload_bucket{le="90.0"}%s)' % w, at)
        share = (count - below) / count
        p99 = prom.value("histogram_quantile(0.99, rate(sysload_per_second_sysload_bucket%s))" % w, at)
        mean = prom.value("avg_over_time(sysload_sysload_one%s)" % w, at)
        scraped = prom.value("avg_over_time(sysload_sysload%s)" % w, at)
        cpu = prom.value('increase(sysload_saturated_seconds_total{resource="cpu"}%s)' % w, at)
        scrapes = prom.value("count_over_time(sysload_sysload%s)" % w, at)

        h.log("over %d s of fixture time, %d scrapes:" % (window, scrapes))
        h.log("  seconds counted           %.1f" % count)
        h.log("  share at or above 90      %.4f (the fixture's: %.4f)" % (share, HIGH_SECONDS / CYCLE_SECONDS))
        h.log("  p99 of per-second sysload %.3f" % p99)
        h.log("  1-minute mean             %.2f" % mean)
        h.log("  sysload as scraped        %.2f (one second in %d)" % (scraped, SCRAPE))
        h.log("  cpu saturated seconds     %.1f" % cpu)

        failures = []
        if abs(share - HIGH_SECONDS / CYCLE_SECONDS) > TOLERANCE_SHARE:
            failures.append("share at or above 90 is %.4f, not 1/3 within %.2f" % (share, TOLERANCE_SHARE))
        if abs(p99 - 100) > 0.1:
            failures.append("p99 is %.3f, not 100" % p99)
        if abs(mean - 40) > 3:
            failures.append("1-minute mean is %.2f, not about 40" % mean)
        if abs(cpu / count - HIGH_SECONDS / CYCLE_SECONDS) > TOLERANCE_SHARE:
            failures.append("cpu saturated %.1f of %.1f seconds, not a third" % (cpu, count))
        if abs(count - window) > 0.05 * window:
            failures.append("%.1f seconds counted in a window of %d" % (count, window))
        if failures:
            raise h.TestFailure("; ".join(failures))
        h.log("PASS the seconds behind the means")


if __name__ == "__main__":
    h.run_test(main)
