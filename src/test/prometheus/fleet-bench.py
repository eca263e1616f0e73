#!/usr/bin/env python3
"""Measures the fleet rules and dashboards on a synthetic fleet in Debian's real Prometheus.

    python3 src/test/prometheus/fleet-bench.py --hosts 1000 --hours 24 [--workdir /var/tmp]

Builds the fleet's blocks as fleet-test.py does (fleetlab.py: fleetgen.py's OpenMetrics through
`promtool tsdb create-blocks-from openmetrics`, the recording rules through `create-blocks-from
rules`), lets Prometheus compact them as it would have over time, restarts it, and reports:

- series per host (by host shape, and for a host with one NIC and four disks) and in all, raw
  and recorded, and the blocks' size on disk;
- for each fleet question of fleetlab.RAW_VS_RECORDED, the latency of the range query over the
  whole range (at the step Grafana would use for a panel 720 points wide) asked of the raw
  series and of the recorded ones, the median of --runs runs; an error (a timeout, too many
  samples) is reported as such;
- the latency of every panel query of both dashboards (sysload.json with job .* and one
  instance, as its per-host view is meant; sysload-fleet.json with job .*);
- Prometheus's resident memory (VmRSS) and high-water mark (VmHWM) after the queries, with
  Prometheus's default flags.
- each phase's time (build, rule backfill, compaction, queries) and the 1-minute load average
  during it, sampled every 15 s: on a shared machine the figures mean little without it.

It prints a Markdown row for README's table and the per-query figures, and writes them as JSON
with --json. Everything it writes is under a temporary directory in --workdir, removed at
the end. It uses the machine: run it when nothing else is measuring.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import promharness as h  # noqa: E402
import fleetgen  # noqa: E402
import fleetlab as lab  # noqa: E402
import dashboards  # noqa: E402


def timed_query(fn, runs):
    """(median seconds, number of series, error) of fn() over runs calls."""
    times, n = [], 0
    for _ in range(runs):
        started = time.monotonic()
        try:
            n = len(fn())
        except (h.TestFailure, OSError) as e:
            return None, 0, str(e)[:120]
        times.append(time.monotonic() - started)
    return statistics.median(times), n, None


class LoadSampler:
    """Samples /proc/loadavg's 1-minute figure every `every` seconds, by phase: the machine may be
    shared, and a reader of the figures should know how busy it was while they were taken."""

    def __init__(self, every=15):
        self.every, self.phase, self.samples = every, "start", {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            with open("/proc/loadavg") as f:
                self.samples.setdefault(self.phase, []).append(float(f.read().split()[0]))
            self._stop.wait(self.every)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()

    def summary(self):
        """{phase: {min, median, max, samples}} in the order the phases ran."""
        return {k: {"min": min(v), "median": statistics.median(v), "max": max(v), "samples": len(v)}
                for k, v in self.samples.items()}


def fmt_s(seconds, error):
    if error:
        return "error: " + error
    return "%.3f s" % seconds if seconds < 10 else "%.1f s" % seconds


def series_stats(fleet):
    counts = sorted(fleetgen.expected_series(x) for x in fleet.hosts)
    # The README's reference host: one NIC, four disks.
    one_nic_four_disks = len(fleetgen.exporter_series(["eth0"], ["vda", "vdb", "vdc", "vdd"], "eth0")) \
        + len(fleetgen.TARGET_FAMILIES)
    return {"per_host_min": counts[0], "per_host_median": statistics.median(counts), "per_host_max": counts[-1],
            "per_host_one_nic_four_disks": one_nic_four_disks, "raw_total": sum(counts)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, required=True)
    ap.add_argument("--hours", type=float, default=24)
    ap.add_argument("--interval", type=int, default=15, help="scrape interval, seconds")
    ap.add_argument("--runs", type=int, default=3, help="runs of each query; the median is reported")
    ap.add_argument("--workdir", help="where the temporary directory goes (default: the system's)")
    ap.add_argument("--workers", type=int, default=1, help="generator processes beside promtool")
    ap.add_argument("--promtool-jobs", type=int, default=1,
                    help="promtool runs reading windows at the same time (2 on an idle 2-core machine)")
    ap.add_argument("--max-window-gb", type=float, default=3,
                    help="bound on one window of OpenMetrics text; promtool-jobs + 1 windows exist at a time")
    ap.add_argument("--json", help="write the results to this file")
    ap.add_argument("--time-limit", type=int, default=8 * 3600)
    args = ap.parse_args()
    h.require_executables(h.PROMETHEUS, h.PROMTOOL)
    fleet = fleetgen.Fleet(args.hosts, fleetgen.DEFAULT_START, args.hours, args.interval)
    result = {"hosts": args.hosts, "hours": args.hours, "interval_s": args.interval, "series": series_stats(fleet)}
    began = time.monotonic()
    load = LoadSampler().start()
    result["cpus"] = os.cpu_count()

    with h.Harness("fleet-bench", args.time_limit) as hs:
        base = hs.temp_dir_in(args.workdir) if args.workdir else hs.tmp
        data, work = os.path.join(base, "data"), os.path.join(base, "work")
        os.makedirs(data)
        os.makedirs(work)
        h.log("fleet: %d hosts over %g h every %d s, %d series (%s per host)"
              % (args.hosts, args.hours, args.interval, result["series"]["raw_total"],
                 "%(per_host_min)d to %(per_host_max)d, median %(per_host_median)g" % result["series"]))
        t0 = time.monotonic()
        load.phase = "build"
        stats = lab.build_raw_blocks(hs, fleet, data, work, workers=args.workers,
                                     max_window_bytes=int(args.max_window_gb * (1 << 30)),
                                     promtool_jobs=args.promtool_jobs)
        result["build"] = dict(stats, raw_blocks_bytes=lab.blocks_bytes(data), seconds=time.monotonic() - t0)
        h.log("ok   raw blocks: %.2f GB from %.1f GB of OpenMetrics in %d windows of %d s, %.0f s "
              "(generator %.0f s, promtool %.0f s)"
              % (lab.blocks_bytes(data) / 1e9, stats["text_bytes"] / 1e9, stats["windows"], stats["window_s"],
                 time.monotonic() - t0, stats["generate_s"], stats["promtool_s"]))
        # promtool backfills the rules with range queries over 2 hours of every host, which
        # at 10,000 hosts can take longer than Prometheus's default 2-minute limit.
        server = lab.Server(hs, data, [lab.RULES, h.ALERT_RULES], ["--query.timeout=30m"]).start()
        t0 = time.monotonic()
        load.phase = "backfill"
        result["rules_backfill_s"] = lab.backfill_rules(hs, server, fleet, work, h.log)
        h.log("ok   rules backfilled in %.0f s" % (time.monotonic() - t0))
        t0 = time.monotonic()
        load.phase = "settle"
        server.settle(h.log, limit=4 * 3600)
        result["settle_s"] = time.monotonic() - t0
        # Measured with Prometheus's defaults, from a process that only started and answered.
        server.extra_flags = []
        server.restart()
        prom = server.prom
        result["blocks_bytes"] = lab.blocks_bytes(data)
        result["blocks"] = len([b for b in os.listdir(data) if os.path.isfile(os.path.join(data, b, "meta.json"))])
        end = fleet.end // 300 * 300
        raw_now = prom.instant('count({instance=~".+", __name__!~".+:.+"})', end)
        recorded = prom.instant('count by (__name__) ({__name__=~".+:.+"})', end)
        result["series"]["raw_in_prometheus"] = int(float(raw_now[0]["value"][1])) if raw_now else 0
        result["series"]["recorded"] = {r["metric"]["__name__"]: int(float(r["value"][1])) for r in recorded}
        result["series"]["recorded_total"] = sum(result["series"]["recorded"].values())
        h.log("ok   Prometheus holds %d raw series (generator: %d) and %d recorded ones; blocks %.2f GB in %d blocks"
              % (result["series"]["raw_in_prometheus"], result["series"]["raw_total"],
                 result["series"]["recorded_total"], result["blocks_bytes"] / 1e9, result["blocks"]))

        load.phase = "queries"
        t_queries = time.monotonic()
        step = lab.grafana_step(fleet)
        builtins = lab.builtins(fleet, step)
        result["step_s"] = step
        groups = prom.rules()
        result["raw_vs_recorded"] = []
        for what, raw, rec in lab.raw_vs_recorded(groups):
            row = {"question": what, "raw": raw, "recorded": rec}
            for kind, expr in (("raw", raw), ("recorded", rec)):
                s, n, err = timed_query(lambda: prom.range(expr, fleet.start, fleet.end, step), args.runs)
                row[kind + "_s"], row[kind + "_series"], row[kind + "_error"] = s, n, err
            result["raw_vs_recorded"].append(row)
            h.log("     %-34s raw %-12s recorded %s" % (what, fmt_s(row["raw_s"], row["raw_error"]),
                                                        fmt_s(row["recorded_s"], row["recorded_error"])))
        one = prom.label_values("instance", "sysload_sysload")[:1]
        panels = []
        for dash, sel in ((dashboards.load(h.DASHBOARD), {"job": ".*", "instance": dashboards.regex_value(one)}),
                          (dashboards.load(lab.FLEET_DASHBOARD), {"job": ".*"})):
            for p, t in dashboards.panel_queries(dash):
                expr = dashboards.substitute(t["expr"], sel, builtins)
                if t.get("instant"):
                    fn = lambda: prom.instant(expr, fleet.end)  # noqa: E731
                else:
                    fn = lambda: prom.range(expr, fleet.start, fleet.end, step)  # noqa: E731
                s, n, err = timed_query(fn, args.runs)
                panels.append({"dashboard": dash["title"], "panel": p["title"], "ref": t["refId"],
                               "seconds": s, "series": n, "error": err})
        result["panels"] = panels
        for d in ("sysload", "sysload fleet"):
            ps = [p for p in panels if p["dashboard"] == d]
            worst = max(ps, key=lambda p: p["seconds"] or 1e9)
            h.log("ok   %s: %d panel queries, %d errors, slowest %s (%s / %s)"
                  % (d, len(ps), sum(1 for p in ps if p["error"]), fmt_s(worst["seconds"], worst["error"]),
                     worst["panel"], worst["ref"]))
        result["prometheus_kb"] = server.memory_kb()
        result["queries_s"] = time.monotonic() - t_queries
    result["total_s"] = time.monotonic() - began
    load.stop()
    result["load_1min"] = load.summary()

    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    s = result["series"]
    h.log("\nREADME row (hosts | range | series per host (1 NIC, 4 disks) | series in all, raw + recorded | "
          "blocks on disk | Prometheus VmRSS / VmHWM):")
    h.log("| %s | %g h every %d s | %d (%d to %d) | %s + %s | %.2f GB | %d / %d MiB |"
          % ("{:,}".format(args.hosts), args.hours, args.interval, s["per_host_one_nic_four_disks"], s["per_host_min"],
             s["per_host_max"], "{:,}".format(s["raw_in_prometheus"]), "{:,}".format(s["recorded_total"]),
             result["blocks_bytes"] / 1e9, round(result["prometheus_kb"]["VmRSS"] / 1024),
             round(result["prometheus_kb"]["VmHWM"] / 1024)))
    h.log("\nREADME latency rows (question | raw | recorded), range queries over %g h at a %d s step, median of %d:"
          % (args.hours, result["step_s"], args.runs))
    for r in result["raw_vs_recorded"]:
        h.log("| %s | %s | %s |" % (r["question"], fmt_s(r["raw_s"], r["raw_error"]),
                                    fmt_s(r["recorded_s"], r["recorded_error"])))
    h.log("\nload average (1 min) on %d CPUs, min / median / max by phase: %s"
          % (result["cpus"], "; ".join("%s %.1f / %.1f / %.1f" % (k, v["min"], v["median"], v["max"])
                                       for k, v in result["load_1min"].items())))
    h.log("took %.0f s (build %.0f, rules backfill %.0f, settle %.0f, queries %.0f)"
          % (result["total_s"], result["build"]["seconds"], result["rules_backfill_s"], result["settle_s"],
             result["queries_s"]))


if __name__ == "__main__":
    h.run_test(main)
