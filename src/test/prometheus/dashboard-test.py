#!/usr/bin/env python3
"""Proves that dashboards/sysload.json and dashboards/sysload-alerts.yml work against a real
Prometheus that scrapes a real sysload-exporter.

    python3 src/test/prometheus/dashboard-test.py [path/to/sysload-exporter.jar]

Builds nothing: the jar defaults to target/sysload-exporter.jar. Needs java, and promtool and
prometheus (Debian package prometheus). What it does:

1. checks the dashboard's structure: valid JSON, Grafana 9+ schema, the DS_PROMETHEUS input,
   the datasource/job/instance variables, a description and a Prometheus query on every panel;
2. runs promtool check rules on the alert rules and promtool test rules on their unit tests;
3. starts the exporter and Prometheus (scrape and rule evaluation every second, the alert rules
   loaded) on free 127.0.0.1 ports, waits for about 15 samples;
4. evaluates the job and instance variable queries, then every panel query with the variables
   set the ways Grafana sets them (All, a regex .*, one instance), and fails on any error or
   empty result; checks that the rules loaded and evaluate without error and that no
   exporter-health alert is active.

Everything it starts is stopped and its temporary directory removed; it gives up after 150 s.
"""

import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import promharness as h  # noqa: E402
import dashboards  # noqa: E402

TIME_LIMIT = 150
SAMPLES = 15


def main():
    jar = h.jar_from_args(sys.argv)
    h.require_executables(h.JAVA, h.PROMETHEUS, h.PROMTOOL)
    dashboard = dashboards.load(h.DASHBOARD)
    errors = dashboards.check_structure(dashboard)
    if errors:
        raise h.TestFailure("dashboard structure:\n  " + "\n  ".join(errors))
    h.log("ok   dashboard structure: %d panels, every one described" % len(list(dashboards.panels_of(dashboard))))
    h.run_promtool([h.ALERT_RULES], [h.HERE + "/sysload-alerts-test.yml"])

    with h.Harness("dashboard", TIME_LIMIT) as hs:
        _, exporter_port = hs.start_exporter(jar)
        _, prom = hs.start_prometheus({"sysload": "%s:%d" % (h.LOOPBACK, exporter_port)})
        h.log("started exporter on %s:%d and Prometheus at %s" % (h.LOOPBACK, exporter_port, prom.base))

        def enough_samples():
            kind, r = prom.query("count_over_time(sysload_sysload[1m])")
            return r and float(r[0]["value"][1]) >= SAMPLES

        hs.wait_until("%d scraped samples" % SAMPLES, enough_samples, 60)
        h.log("ok   Prometheus holds %d samples of sysload_sysload" % SAMPLES)

        # The variables, as Grafana evaluates them.
        variables = {v["name"]: v for v in dashboard["templating"]["list"]}
        jobs = dashboards.label_values_query(prom, variables["job"]["query"], {"job": ".*"})
        instances = dashboards.label_values_query(prom, variables["instance"]["query"], {"job": dashboards.regex_value(jobs)})
        h.log("ok   variable job -> %s, instance -> %s" % (jobs, instances))
        one = dashboards.label_values_query(prom, variables["instance"]["query"], {"job": dashboards.regex_value(jobs[:1])})
        if not one:
            raise h.TestFailure("no instance for job %s alone" % jobs[0])

        selections = [
            ("All", {"job": dashboards.regex_value(jobs), "instance": dashboards.regex_value(instances)}),
            ("regex .*", {"job": ".*", "instance": ".*"}),
            ("one instance", {"job": dashboards.regex_value(jobs[:1]), "instance": dashboards.regex_value(one[:1])}),
        ]
        failures, evaluated = [], 0
        for label, sel in selections:
            for p in dashboards.panels_of(dashboard):
                named = []  # targets whose series keep a metric name, for the merge check below
                for t in p.get("targets") or []:
                    expr = dashboards.substitute(t["expr"], sel)
                    evaluated += 1
                    try:
                        kind, result = prom.query(expr)
                    except h.TestFailure as e:
                        failures.append("%s / %s [%s]: error %s" % (p["title"], t["refId"], label, e))
                        continue
                    if kind == "vector" and any("__name__" in r["metric"] for r in result):
                        named.append(t["refId"])
                    if not result:
                        failures.append("%s / %s [%s]: no series from %s" % (p["title"], t["refId"], label, expr))
                    elif label == "All":
                        h.log("ok   %-45s %s  %d series" % (p["title"][:45], t["refId"], len(result)))
                if dashboards.merge_cannot_join(p, named):
                    failures.append("%s [%s]: every query keeps __name__, so merge cannot join their rows"
                                    % (p["title"], label))
        if failures:
            raise h.TestFailure("dashboard queries:\n  " + "\n  ".join(failures))
        h.log("ok   %d panel queries (3 variable selections) all returned data" % evaluated)

        # The alert rules are loaded into this Prometheus and evaluate cleanly.
        groups = prom.api("rules", {"type": "alert"})["groups"]
        rules = [r for g in groups for r in g["rules"]]
        bad = [(r["name"], r.get("lastError")) for r in rules if r.get("health") != "ok"]
        if not rules or bad:
            raise h.TestFailure("alert rules not loaded or unhealthy: %s" % (bad or "none loaded"))
        kind, active = prom.query('ALERTS{alertname=~"SysloadExporterStale|SysloadExporterDown|SysloadSampleFailures"}')
        if active:
            raise h.TestFailure("exporter health alerts active against a healthy exporter: %s" % active)
        h.log("ok   %d alert rules loaded and healthy: %s; no exporter-health alert active"
              % (len(rules), ", ".join(r["name"] for r in rules)))
    h.log("PASS dashboard-test")


if __name__ == "__main__":
    h.run_test(main)
