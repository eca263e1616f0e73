#!/usr/bin/env python3
"""Proves dashboards/sysload-rules.yml and dashboards/sysload-fleet.json on a synthetic fleet in
Debian's real Prometheus (and the shipped sysload.json and sysload-alerts.yml with them).

    python3 src/test/prometheus/fleet-test.py [--hosts 50] [--hours 6] [--jar target/sysload-exporter.jar]

Needs promtool and prometheus (Debian package prometheus); java only with --jar. What it does:

1. promtool check rules and test rules on the rules file and its unit tests
   (sysload-rules-test.yml);
2. checks that fleetgen.py writes exactly the exporter's series: for the end-to-end test's host
   against src/test/resources/e2e/metrics.txt, and with --jar against a live scrape of the
   exporter on this machine (which has the process and build families the e2e file leaves out);
3. checks the fleet dashboard's structure as dashboard-test.py checks the other one;
4. builds the fleet's blocks with promtool (fleetlab.py: openmetrics, then the recording rules
   in stages) and serves them with Prometheus;
5. checks that every host has exactly the series of its shape; runs every rule of both rule
   files and every panel query of both dashboards (Grafana's variables set to All, to a regex
   .* and to one job or instance) as range queries over the whole range, each must return
   data; checks the fleet numbers against the generator's truth at chosen moments: hosts per
   job (all, and one fewer while a host is down), the resource driving each host and the
   counts per resource, hosts above 80 and 90 and bound by each resource, the daily peak of
   every host, and that each alert of both files names exactly the hosts or jobs it should; and
   that each recorded series equals the raw expression it stands for (fleetlab.RAW_VS_RECORDED).

Everything it starts is stopped and its temporary directory removed; it gives up after
--time-limit seconds (300).
"""

import argparse
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import promharness as h  # noqa: E402
import fleetgen  # noqa: E402
import fleetlab as lab  # noqa: E402
import dashboards  # noqa: E402

RECORDED = re.compile(r"\b[a-z_]+:[a-z0-9_]+:[a-z0-9_]+\b")


def check_generator(hs, jar):
    with open(fleetgen.E2E_METRICS) as f:
        errors, n = fleetgen.compare_with_exposition(f.read(), "metrics.txt", jvm=False)
    if errors:
        raise h.TestFailure("generator against metrics.txt:\n  " + "\n  ".join(errors))
    h.log("ok   the generator's series for the e2e host equal metrics.txt's %d" % n)
    if not jar:
        return
    proc, port = hs.start_exporter(jar)
    _, text = h.http_get("http://%s:%d/metrics" % (h.LOOPBACK, port))
    hs.stop(proc)
    errors, n = fleetgen.compare_with_exposition(text, "the exporter's scrape", jvm=True)
    if errors:
        raise h.TestFailure("generator against a live scrape:\n  " + "\n  ".join(errors))
    h.log("ok   the generator's series for this machine's shape equal a live scrape's %d" % n)


def check_fleet_structure(d):
    # The fleet view has no instance variable, and lists its jobs from a recorded series (a
    # few series to read instead of every host's): the other checks of dashboards.py apply.
    errors = [e for e in dashboards.check_structure(d) if not e.startswith(("variable instance ", "variable job "))]
    job = {v["name"]: v for v in d["templating"]["list"]}.get("job", {})
    if job.get("type") != "query" or job.get("query") != "label_values(job:sysload_hosts:count, job)" \
            or not (job.get("multi") and job.get("includeAll")):
        errors.append("variable job should be a multi-value query variable on "
                      "label_values(job:sysload_hosts:count, job)")
    for p, t in dashboards.panel_queries(d):
        if not RECORDED.search(t["expr"]):
            errors.append("panel %r query %s reads no recorded series" % (p["title"], t["refId"]))
    if errors:
        raise h.TestFailure("fleet dashboard structure:\n  " + "\n  ".join(errors))
    h.log("ok   fleet dashboard structure: %d panels, every one described, every query on recorded series"
          % len(list(dashboards.panels_of(d))))


def series_by(result, *labels):
    return {tuple(r["metric"].get(l, "") for l in labels): float(r["value"][1]) for r in result}


class Truth:
    """What the generator made, at the moments the checks look at."""

    def __init__(self, fleet):
        self.fleet = fleet
        self.hosts = fleet.hosts
        self.end = fleet.end // 300 * 300  # rules are evaluated on whole 5 minutes
        span = fleet.end - fleet.start

        def moment(fraction):
            return fleet.start + int(span * fraction) // 300 * 300

        self.stale = fleet.hosts[fleetgen.STALE[0]]
        self.diskless = fleet.hosts[fleetgen.DISKSTATS[0]]
        self.down = fleet.hosts[fleetgen.DOWN[0]]
        # Inside each incident, late enough for its alert's own window and "for".
        self.t_stale = self.stale.incidents["stale"][0] + 20 * 60
        # Backfilled blocks have no staleness markers: for the 5 minutes of Prometheus's lookback
        # after the down host's last scrape, its last sample, frozen, reads as a stale exporter's
        # too (a live Prometheus marks a failed target's series stale at once). Check the stale
        # exporter outside that window, later in its incident.
        went_down = self.down.incidents["down"][0]
        if went_down <= self.t_stale <= went_down + 300 + 2 * fleet.interval:
            self.t_stale = -(-(went_down + 300 + 2 * fleet.interval) // 60) * 60
        self.t_disk = self.diskless.incidents["diskstats"][0] + 15 * 60
        self.t_down = self.down.incidents["down"][0] + 10 * 60
        self.t_batch = moment(fleetgen.BATCH[0]) + 25 * 60
        self.t_mid = moment(0.55)
        # Each moment must fall inside its incident (or the batch run), not only before the end:
        # an alert checked after its incident is over names nobody.
        spans = [("stale", self.t_stale, self.stale.incidents["stale"]),
                 ("diskstats", self.t_disk, self.diskless.incidents["diskstats"]),
                 ("down", self.t_down, self.down.incidents["down"]),
                 ("batch", self.t_batch, (fleet.at(fleetgen.BATCH[0]), fleet.at(fleetgen.BATCH[1])))]
        for name, t, (begins, ends) in spans:
            if not begins <= t < min(ends, fleet.end - 900):
                raise h.TestFailure("the range is too short for the %s incident's alerts (checked at +%d min, it must "
                                    "be before +%d min): give more --hours"
                                    % (name, (t - fleet.start) // 60, (min(ends, fleet.end - 900) - fleet.start) // 60))

    def per_job(self, hosts):
        out = {}
        for x in hosts:
            out[x.job] = out.get(x.job, 0) + 1
        return out

    def reporting(self, t):
        return [x for x in self.hosts if not x.in_incident("down", t - 300)]

    def fives(self, t):
        return {x.instance: x.five_at(t) for x in self.hosts}

    def saturated_share(self, x, t, window=1800):
        """The share of the host's seconds in (t - window, t] with sysload above 90, as the
        generator made them: each scrape's sample stands for its interval."""
        steps = [k for k in range(self.fleet.steps()) if t - window < x.step_time(k) <= t]
        if not steps:
            return 0.0
        return sum(1 for k in steps if x.sample(k)["sysload"] > 90) / len(steps)

    def sources_down(self, t):
        """(instance, source) of the sources failing at t."""
        return ({(self.stale.instance, "stat")} if self.stale.in_incident("stale", t) else set()) | \
            ({(self.diskless.instance, "diskstats")} if self.diskless.in_incident("diskstats", t) else set())


def expect(failures, what, got, want):
    if got != want:
        failures.append("%s: got %s, want %s" % (what, got, want))


def check_series(prom, truth, failures):
    got = series_by(prom.instant('count by (instance) ({instance=~".+", __name__!~".+:.+"})', truth.end), "instance")
    want = {(x.instance,): float(fleetgen.expected_series(x)) for x in truth.hosts}
    expect(failures, "series per host at the end", got, want)
    h.log("ok   every host has the series of its shape: %d to %d, %d in all"
          % (min(want.values()), max(want.values()), sum(want.values())))


def evaluated_at(prom, record, t):
    """When the rule recording `record` was last evaluated at or before t: Prometheus (and
    promtool's backfill) evaluate a group at an offset of its own within its interval."""
    result = prom.instant("max(timestamp(%s))" % record, t)
    if not result:
        raise h.TestFailure("no %s recorded before %d" % (record, t))
    return float(result[0]["value"][1])


def check_fleet_numbers(prom, truth, failures):
    t = evaluated_at(prom, "job:sysload_hosts:count", truth.end)
    # Every rule of the group was evaluated then: the backfill keeps a group's times.
    for record in ("job:sysload_hosts_above90:count", "job_le:sysload_hosts:count",
                   "instance:sysload_candidate_percent:max_avg_over_time5m", "job_resource:sysload_hosts_bound:count"):
        expect(failures, "evaluation time of %s" % record, evaluated_at(prom, record, truth.end), t)
    jobs = truth.per_job(truth.hosts)
    expect(failures, "job:sysload_hosts:count at the end",
           series_by(prom.instant("job:sysload_hosts:count", t), "job"), {(j,): float(n) for j, n in jobs.items()})
    # While a host is down, its job has one host fewer.
    t_down = evaluated_at(prom, "job:sysload_hosts:count", truth.t_down)
    expect(failures, "job:sysload_hosts:count while %s is down" % truth.down.instance,
           series_by(prom.instant("job:sysload_hosts:count", t_down), "job"),
           {(j,): float(n) for j, n in truth.per_job(truth.reporting(t_down)).items()})
    # The resource driving each host is the one the generator made drive it; idle hosts none.
    drivers = series_by(prom.instant("instance:sysload_candidate_percent:max_avg_over_time5m", t),
                        "instance", "resource")
    expect(failures, "driving resource per host", sorted(drivers),
           sorted((x.instance, x.driver) for x in truth.hosts if x.driver != "idle"))
    driven = {(j, r): 0.0 for j in jobs for r in ("cpu", "si_cpu", "io")}
    for x in truth.hosts:
        if x.driver != "idle":
            driven[(x.job, x.driver)] += 1
    expect(failures, "job_resource:sysload_hosts_driven:count",
           series_by(prom.instant("job_resource:sysload_hosts_driven:count", t), "job", "resource"), driven)
    fives = truth.fives(t)
    for level in (80, 90):
        want = {(j,): float(sum(1 for x in truth.hosts if x.job == j and fives[x.instance] > level)) for j in jobs}
        expect(failures, "job:sysload_hosts_above%d:count" % level,
               series_by(prom.instant("job:sysload_hosts_above%d:count" % level, t), "job"), want)
    bound = {k: 0.0 for k in driven}
    for x in truth.hosts:
        if fives[x.instance] > 80:
            bound[(x.job, x.driver)] += 1
    expect(failures, "job_resource:sysload_hosts_bound:count",
           series_by(prom.instant("job_resource:sysload_hosts_bound:count", t), "job", "resource"), bound)
    buckets = series_by(prom.instant("job_le:sysload_hosts:count", t), "job", "le")
    les = ["10", "20", "30", "40", "50", "60", "70", "80", "90", "95", "+Inf"]
    want = {(j, le): float(sum(1 for x in truth.hosts if x.job == j
                               and (le == "+Inf" or fives[x.instance] <= float(le)))) for j in jobs for le in les}
    expect(failures, "job_le:sysload_hosts:count", buckets, want)
    t5 = evaluated_at(prom, "instance:sysload_sysload_fifteen:max_over_time1d", truth.end)
    peaks = series_by(prom.instant("instance:sysload_sysload_fifteen:max_over_time1d", t5), "instance")
    expect(failures, "hosts with a daily peak", sorted(peaks), sorted((x.instance,) for x in truth.hosts))
    q = series_by(prom.instant("job:sysload_sysload_five:quantile", t), "job", "quantile")
    for j in jobs:
        got = [q.get((j, s)) for s in ("0.5", "0.9", "0.99")]
        if None in got or not 0 <= got[0] <= got[1] <= got[2] <= 100:
            failures.append("quantiles of %s: %s" % (j, got))
    h.log("ok   fleet numbers checked against the generator: hosts per job %s, drivers %s"
          % (jobs, {k: int(v) for k, v in sorted(driven.items()) if v}))


def check_alerts(prom, groups, truth, failures):
    """Each alert, as an instant query at a moment it should fire, names exactly what it should."""
    exprs = {r["name"]: r["query"] for g in groups for r in g["rules"] if r["type"] == "alerting"}
    saturated = {x.instance for x in truth.hosts if x.shape == "saturated"}
    cases = [
        ("SysloadExporterStale", truth.t_stale, ("instance",), {(truth.stale.instance,)}),
        ("SysloadSampleFailures", truth.t_stale, ("instance",), {(truth.stale.instance,)}),
        ("SysloadSourceDown", truth.t_stale, ("instance", "source"), truth.sources_down(truth.t_stale)),
        ("SysloadSourceDown", truth.t_disk, ("instance", "source"), truth.sources_down(truth.t_disk)),
        ("SysloadExporterDown", truth.t_down, ("instance",), {(truth.down.instance,)}),
        ("SysloadFleetSaturated", truth.t_batch, ("job",), {("sysload-batch",)}),
        ("SysloadFleetSaturated", truth.end, ("job",), set()),
        ("SysloadFleetCapacity", truth.end, ("job",), {("sysload-batch",)}),
    ]
    # The hosts saturated more than a fifth of the last 30 minutes: during the batch run and at
    # the end. rate() extrapolates to the window's edges, so a host within 0.05 of the
    # threshold may go either way and is not judged.
    for t in (truth.t_batch, truth.end):
        shares = {x.instance: truth.saturated_share(x, t) for x in truth.hosts}
        got = {k[0] for k in series_by(prom.instant(exprs["SysloadHostSaturatedSeconds"], t), "instance")}
        must = {i for i, v in shares.items() if v > 0.25}
        must_not = {i for i, v in shares.items() if v < 0.15}
        if not must <= got or got & must_not:
            failures.append("SysloadHostSaturatedSeconds at +%d min: got %s, want all of %s and none of %s"
                            % ((t - truth.fleet.start) // 60, sorted(got), sorted(must), sorted(got & must_not)))
        if t == truth.t_batch and not must:
            failures.append("SysloadHostSaturatedSeconds: no host saturated during the batch run, nothing tested")
        h.log("ok   SysloadHostSaturatedSeconds at +%d min names %d hosts: the %d saturated over a quarter of the "
              "last 30 minutes and none of the %d under 15 %%" % ((t - truth.fleet.start) // 60, len(got), len(must),
                                                                 len(must_not)))
    for name, t, labels, want in cases:
        got = set(series_by(prom.instant(exprs[name], t), *labels))
        expect(failures, "%s at +%d min" % (name, (t - truth.fleet.start) // 60), got, want)
    high = {k[0] for k in series_by(prom.instant(exprs["SysloadHigh"], truth.end), "instance")}
    if not saturated <= high:
        failures.append("SysloadHigh at the end misses saturated hosts %s" % sorted(saturated - high))
    h.log("ok   %d alerts checked at the moments they should fire; each names exactly its hosts or job"
          % len(exprs))


def check_rules_over_range(prom, groups, fleet, failures):
    step = lab.grafana_step(fleet)
    n = 0
    for g in groups:
        for r in g["rules"]:
            exprs = [r["query"]] + ([r["name"]] if r["type"] == "recording" else [])
            for expr in exprs:
                n += 1
                try:
                    result = prom.range(expr, fleet.start, fleet.end, step)
                except h.TestFailure as e:
                    failures.append("rule %s: %s" % (r["name"], e))
                    continue
                if not result:
                    failures.append("rule %s: no data over the range from %s" % (r["name"], expr))
    h.log("ok   %d rule expressions and recorded series return data over the whole range (step %d s)" % (n, step))


# Series each fleet panel query must return, from the selected jobs and their hosts.
def fleet_expectations(jobs, hosts):
    n, top = len(jobs), min(20, len(hosts))
    return {
        ("Hosts reporting", "A"): n,
        ("Hosts above 90", "A"): n,
        ("Hosts above 80", "A"): n,
        ("90th percentile across hosts", "A"): n,
        ("Hosts by sysload (5-minute mean)", "A"): 11,
        ("Median, 90th and 99th percentile across hosts", "A"): 3 * n,
        ("Hosts above 80 and above 90", "A"): n,
        ("Hosts above 80 and above 90", "B"): n,
        ("Share of hosts above 90", "A"): n,
        ("Hosts with the least headroom", "A"): top,
        ("Hosts with the least headroom", "B"): top,
        ("Hosts with the least headroom", "C"): (1, top),  # idle hosts are driven by nothing
        ("Daily peak of the 10 hosts with the least headroom", "A"): (min(10, len(hosts)), len(hosts)),
        ("Hosts most often saturated (last hour)", "A"): top,
        ("Hosts most often saturated (last hour)", "B"): top,
        ("Hosts most often saturated (last hour)", "C"): top,
        ("Share of saturated seconds across hosts (last hour)", "A"): 3 * n,
        ("Hosts by driving resource", "A"): 3,
        ("Hosts above 80 by what bounds them", "A"): 3,
        ("Daily peak of the 15-minute mean across hosts", "A"): 3 * n,
        ("Hosts per job", "A"): n,
    }


def check_panels(prom, fleet, main, fleet_dash, failures):
    step = lab.grafana_step(fleet)
    builtins = lab.builtins(fleet, step)
    jobs = prom.label_values("job", "sysload_sysload")
    instances = prom.label_values("instance", "sysload_sysload")
    one_job = prom.label_values("instance", 'sysload_sysload{job="%s"}' % jobs[0])
    rv = dashboards.regex_value
    runs = [
        (main, "All", {"job": rv(jobs), "instance": rv(instances)}, None),
        (main, "regex .*", {"job": ".*", "instance": ".*"}, None),
        (main, "one instance", {"job": rv(jobs[:1]), "instance": rv(one_job[:1])}, None),
        (fleet_dash, "All", {"job": rv(jobs)}, (jobs, fleet.hosts)),
        (fleet_dash, "regex .*", {"job": ".*"}, (jobs, fleet.hosts)),
        (fleet_dash, "one job", {"job": rv(jobs[-1:])}, (jobs[-1:], [x for x in fleet.hosts if x.job == jobs[-1]])),
    ]
    evaluated = 0
    for dash, label, sel, scope in runs:
        want = fleet_expectations(*scope) if scope else {}
        for p in dashboards.panels_of(dash):
            named, targets = [], p.get("targets") or []
            for t in targets:
                expr = dashboards.substitute(t["expr"], sel, builtins)
                where = "%s: %s / %s [%s]" % (dash["title"], p["title"], t["refId"], label)
                evaluated += 1
                try:
                    if t.get("instant"):
                        result = prom.instant(expr, fleet.end)
                    else:
                        result = prom.range(expr, fleet.start, fleet.end, step)
                except h.TestFailure as e:
                    failures.append("%s: error %s" % (where, e))
                    continue
                if any("__name__" in r["metric"] for r in result):
                    named.append(t["refId"])
                if not result:
                    failures.append("%s: no data from %s" % (where, expr))
                if scope:
                    w = want.get((p["title"], t["refId"]))
                    if w is None:
                        failures.append("%s: fleet-test.py does not say how many series it returns" % where)
                    elif isinstance(w, tuple) and not w[0] <= len(result) <= w[1] or \
                            isinstance(w, int) and len(result) != w:
                        failures.append("%s: %d series, want %s" % (where, len(result), w))
            if dashboards.merge_cannot_join(p, named):
                failures.append("%s / %s [%s]: every query keeps __name__, so merge cannot join their rows"
                                % (dash["title"], p["title"], label))
    h.log("ok   %d panel queries of both dashboards (3 variable selections each) return data over the whole "
          "range; the fleet panels return the series their jobs and hosts call for" % evaluated)


def check_raw_equals_recorded(prom, groups, truth, failures):
    def key(metric):
        # The labels a rule adds (quantile, le) are not in the raw expression's result.
        return tuple(sorted((k, v) for k, v in metric.items() if k not in ("__name__", "quantile", "le")))

    for moment in (truth.t_mid, truth.end):
        for what, raw, recorded in lab.raw_vs_recorded(groups):
            t = evaluated_at(prom, recorded, moment)  # the raw expression at the rule's own time
            a = {key(r["metric"]): float(r["value"][1]) for r in prom.instant(raw, t)}
            b = {key(r["metric"]): float(r["value"][1]) for r in prom.instant(recorded, t)}
            b = {k: v for k, v in b.items() if v != 0 or k in a}  # zeros are the recorded series' own
            if a.keys() != b.keys() or any(abs(a[k] - b[k]) > 1e-9 * max(1.0, abs(a[k])) for k in a):
                diff = sorted(set(a.items()) ^ set(b.items()))[:6]
                failures.append("%s at +%d min: raw and recorded differ in %s"
                                % (what, (t - truth.fleet.start) // 60, diff))
    h.log("ok   %d recorded series equal the raw expressions they stand for" % len(lab.RAW_VS_RECORDED))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--hours", type=float, default=6,
                    help="the range (1.5 at least: the incidents need room for their alerts' windows and \"for\")")
    ap.add_argument("--interval", type=int, default=15, help="scrape interval, seconds")
    ap.add_argument("--jar", help="also compare the generator with a live scrape of this exporter jar")
    ap.add_argument("--workers", type=int, default=1, help="generator processes")
    ap.add_argument("--time-limit", type=int, default=300)
    args = ap.parse_args()
    h.require_executables(h.PROMETHEUS, h.PROMTOOL, *([h.JAVA] if args.jar else []))
    started = time.monotonic()
    h.run_promtool([lab.RULES, h.ALERT_RULES], [os.path.join(h.HERE, "sysload-rules-test.yml")])
    main_dash = dashboards.load(h.DASHBOARD)
    fleet_dash = dashboards.load(lab.FLEET_DASHBOARD)
    check_fleet_structure(fleet_dash)
    fleet = fleetgen.Fleet(args.hosts, fleetgen.DEFAULT_START, args.hours, args.interval)
    truth = Truth(fleet)

    with h.Harness("fleet", args.time_limit) as hs:
        check_generator(hs, os.path.abspath(args.jar) if args.jar else None)
        data = os.path.join(hs.tmp, "data")
        work = os.path.join(hs.tmp, "work")
        os.makedirs(data)
        os.makedirs(work)
        t0 = time.monotonic()
        stats = lab.build_raw_blocks(hs, fleet, data, work, workers=args.workers)
        h.log("ok   %d hosts over %g h every %d s: %.0f MB of OpenMetrics in %d windows, generated in %.1f s, "
              "promtool %.1f s, blocks %.1f MB (%.1f s in all)"
              % (args.hosts, args.hours, args.interval, stats["text_bytes"] / 1e6, stats["windows"],
                 stats["generate_s"], stats["promtool_s"], lab.blocks_bytes(data) / 1e6, time.monotonic() - t0))
        server = lab.Server(hs, data, [lab.RULES, h.ALERT_RULES]).start()
        t0 = time.monotonic()
        lab.backfill_rules(hs, server, fleet, work, h.log)
        h.log("ok   rules backfilled in %.1f s; blocks now %.1f MB" % (time.monotonic() - t0, lab.blocks_bytes(data) / 1e6))
        prom = server.prom
        groups = prom.rules()
        bad = [(r["name"], r.get("lastError")) for g in groups for r in g["rules"] if r.get("health") == "err"]
        if bad:
            raise h.TestFailure("rules unhealthy in Prometheus: %s" % bad)

        failures = []
        check_series(prom, truth, failures)
        check_rules_over_range(prom, groups, fleet, failures)
        check_fleet_numbers(prom, truth, failures)
        check_alerts(prom, groups, truth, failures)
        check_raw_equals_recorded(prom, groups, truth, failures)
        check_panels(prom, fleet, main_dash, fleet_dash, failures)
        if failures:
            raise h.TestFailure("%d checks failed:\n  %s" % (len(failures), "\n  ".join(failures)))
        mem = server.memory_kb()
        h.log("ok   Prometheus: VmRSS %d MB, VmHWM %d MB" % (mem["VmRSS"] // 1024, mem["VmHWM"] // 1024))
    h.log("PASS fleet-test (%d hosts, %g h, %.0f s)" % (args.hosts, args.hours, time.monotonic() - started))


if __name__ == "__main__":
    h.run_test(main)
