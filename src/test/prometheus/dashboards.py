"""Grafana dashboards as the tests read them: their structure, their panels' queries, and
Grafana's variables expanded the way Grafana expands them. Shared by dashboard-test.py,
fleet-test.py and fleet-bench.py.

Python 3 standard library only.
"""

import json
import re

import promharness as h

# What Grafana's built-in variables stand for against a live Prometheus that scrapes every
# second, over a short dashboard range; a test over another range passes its own.
LIVE_BUILTINS = {
    "__rate_interval": "1m",
    "__interval": "15s",
    "__interval_ms": "15000",
    "__range": "5m",
    "__range_s": "300",
    "__range_ms": "300000",
}
VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)")


def load(path):
    with open(path) as f:
        return json.load(f)


def panels_of(dashboard):
    """Every panel, including those nested in collapsed rows."""
    for p in dashboard.get("panels", []):
        yield p
        for q in p.get("panels", []) or []:
            yield q


def panel_queries(dashboard):
    """(panel, target) of every query of the dashboard."""
    for p in panels_of(dashboard):
        for t in p.get("targets") or []:
            yield p, t


def check_structure(d):
    """What is wrong with the dashboard's structure, one message each: schema, inputs,
    variables, and every panel described, placed and querying through the datasource
    variable."""
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


def substitute(expr, variables, builtins=LIVE_BUILTINS):
    """expr with the dashboard's variables and Grafana's built-in ones set; an unknown
    variable fails."""
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name in variables:
            return variables[name]
        if name in builtins:
            return builtins[name]
        raise h.TestFailure("unknown variable $%s in %s" % (name, expr))

    return VAR_RE.sub(repl, expr)


def label_values_query(prom, query, variables):
    """The values of a label_values(selector, label) variable query, as Grafana lists them."""
    m = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)\s*", query)
    if not m:
        raise h.TestFailure("cannot evaluate variable query %s" % query)
    selector, label = substitute(m.group(1), variables), m.group(2)
    values = prom.label_values(label, selector)
    if not values:
        raise h.TestFailure("%s returned no values (as %s)" % (query, selector))
    return values


def merge_cannot_join(panel, named):
    """Whether the panel's merge transformation would join nothing: Grafana joins rows on the
    columns every query has, and if each of them keeps __name__ (named: the refIds of those
    that do), a different one per query, no row would ever be joined."""
    targets = panel.get("targets") or []
    merges = any(x.get("id") == "merge" for x in panel.get("transformations") or [])
    return merges and len(targets) > 1 and len(named) == len(targets)
