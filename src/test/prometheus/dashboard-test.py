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

import json
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import promharness as h  # noqa: E402

TIME_LIMIT = 150
SAMPLES = 15
# What Grafana's built-in variables stand for here (scrape interval 1 s, a short dashboard range).
BUILTINS = {
    "__rate_interval": "1m",
    "__interval": "15s",
    "__interval_ms": "15000",
    "__range": "5m",
    "__range_s": "300",
    "__range_ms": "300000",
}
VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)")


def panels_of(dashboard):
    """Every panel, including those nested in collapsed rows."""
    for p in dashboard.get("panels", []):
        yield p
        for q in p.get("panels", []) or []:
            yield q


def check_structure(d):
    errors = []
    if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 36:
        errors.append("schemaVersion %r is older than Grafana 9" % d.get("schemaVersion"))
    inputs = {i.get("name"): i for i in d.get("__inputs", [])}
    if inputs.get("DS_PROMETHEUS", {}).get("pluginId") != "prometheus":
        errors.append("__inputs lacks the Prometheus datasource input DS_PROMETHEUS")
    if not any(r.get("id") == "grafana" for r in d.get("__requires", [])):
        errors.append("__requires does not name the Grafana version")
    if not d.get("uid") or not d.get("title"):
        errors.append("dashboard needs a uid and a title")
    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    ds = variables.get("datasource", {})
    if ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        errors.append("no datasource variable of type datasource/prometheus")
    if "${DS_PROMETHEUS}" not in json.dumps(ds):
        errors.append("the datasource variable does not default to the imported DS_PROMETHEUS")
    for name, query in (("job", "label_values(sysload_sysload, job)"),
                        ("instance", 'label_values(sysload_sysload{job=~"$job"}, instance)')):
        v = variables.get(name, {})
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        if v.get("type") != "query" or q != query:
            errors.append("variable %s should be a query variable on %s, is %r" % (name, query, q))
        if not (v.get("multi") and v.get("includeAll")):
            errors.append("variable %s should allow several values and All" % name)
    ids, used_types = set(), set()
    for p in panels_of(d):
        title = p.get("title") or "<untitled>"
        if p.get("id") in ids:
            errors.append("panel id %s used twice" % p.get("id"))
        ids.add(p.get("id"))
        used_types.add(p.get("type"))
        if not (p.get("description") or "").strip():
            errors.append("panel %r has no description" % title)
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in ("x", "y", "w", "h")) or g["x"] + g["w"] > 24:
            errors.append("panel %r has a bad gridPos %s" % (title, g))
        if p.get("type") == "row":
            continue
        if p.get("datasource", {}).get("uid") != "${datasource}":
            errors.append("panel %r does not use the datasource variable" % title)
        targets = p.get("targets") or []
        if not targets:
            errors.append("panel %r has no query" % title)
        for t in targets:
            if not (t.get("expr") or "").strip():
                errors.append("panel %r query %s has no expr" % (title, t.get("refId")))
            if t.get("datasource", {}).get("uid") != "${datasource}":
                errors.append("panel %r query %s does not use the datasource variable" % (title, t.get("refId")))
    required = {r.get("id") for r in d.get("__requires", []) if r.get("type") == "panel"}
    missing = used_types - required - {"row"}
    if missing:
        errors.append("__requires lacks panel types %s" % sorted(missing))
    return errors


def regex_value(values):
    """A multi-value variable in a =~ matcher, as Grafana writes it: regex-escaped, (a|b) for
    several, and the backslashes doubled for the PromQL string literal."""
    escaped = [re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\\\1", v) for v in values]
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


def substitute(expr, variables):
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name in variables:
            return variables[name]
        if name in BUILTINS:
            return BUILTINS[name]
        raise h.TestFailure("unknown variable $%s in %s" % (name, expr))

    return VAR_RE.sub(repl, expr)


def label_values_query(prom, query, variables):
    m = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)\s*", query)
    if not m:
        raise h.TestFailure("cannot evaluate variable query %s" % query)
    selector, label = substitute(m.group(1), variables), m.group(2)
    values = prom.label_values(label, selector)
    if not values:
        raise h.TestFailure("%s returned no values (as %s)" % (query, selector))
    return values


def run_promtool():
    for argv in ([h.PROMTOOL, "check", "rules", h.ALERT_RULES],
                 [h.PROMTOOL, "test", "rules", h.HERE + "/sysload-alerts-test.yml"]):
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        out = r.stdout.decode("utf-8", "replace").strip()
        if r.returncode != 0:
            raise h.TestFailure("%s failed:\n%s" % (" ".join(argv[:3]), out))
        h.log("ok   %s: %s" % (" ".join(argv[1:3]), out.splitlines()[-1].strip()))


def main():
    jar = h.jar_from_args(sys.argv)
    h.require_executables(h.JAVA, h.PROMETHEUS, h.PROMTOOL)
    with open(h.DASHBOARD) as f:
        dashboard = json.load(f)
    errors = check_structure(dashboard)
    if errors:
        raise h.TestFailure("dashboard structure:\n  " + "\n  ".join(errors))
    h.log("ok   dashboard structure: %d panels, every one described" % len(list(panels_of(dashboard))))
    run_promtool()

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
        jobs = label_values_query(prom, variables["job"]["query"], {"job": ".*"})
        instances = label_values_query(prom, variables["instance"]["query"], {"job": regex_value(jobs)})
        h.log("ok   variable job -> %s, instance -> %s" % (jobs, instances))
        one = label_values_query(prom, variables["instance"]["query"], {"job": regex_value(jobs[:1])})
        if not one:
            raise h.TestFailure("no instance for job %s alone" % jobs[0])

        selections = [
            ("All", {"job": regex_value(jobs), "instance": regex_value(instances)}),
            ("regex .*", {"job": ".*", "instance": ".*"}),
            ("one instance", {"job": regex_value(jobs[:1]), "instance": regex_value(one[:1])}),
        ]
        failures, evaluated = [], 0
        for label, sel in selections:
            for p in panels_of(dashboard):
                named = []  # targets whose series keep a metric name, for the merge check below
                for t in p.get("targets") or []:
                    expr = substitute(t["expr"], sel)
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
                # Grafana's merge transformation joins rows on the columns every query has; if all
                # of them carry __name__ (different per query) no row would ever be joined.
                merges = any(x.get("id") == "merge" for x in p.get("transformations") or [])
                targets = p.get("targets") or []
                if merges and len(targets) > 1 and len(named) == len(targets):
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
