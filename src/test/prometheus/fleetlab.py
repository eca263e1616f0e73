"""A synthetic fleet in Debian's real Prometheus: shared by fleet-test.py and fleet-bench.py.

Python 3 standard library only. The path is the one an operator would take to backfill:

1. fleetgen.py writes OpenMetrics for the fleet, one time window at a time (a window's text
   for 10,000 hosts is several GB, so windows are sized to stay under a bound and each file is
   deleted once promtool has read it); `promtool tsdb create-blocks-from openmetrics` turns
   each window into a block, the next window being generated meanwhile;
2. Prometheus starts on those blocks with the rule files loaded (no scrape targets), which
   parses the rules for us: /api/v1/rules gives every group's interval and every rule's query;
3. `promtool tsdb create-blocks-from rules` backfills the recording rules over the range. It
   evaluates rules by querying Prometheus, so a rule that reads another recorded series needs
   that series in Prometheus first: the rules are backfilled in stages of dependency (rules
   that read only raw series, then rules that read those, ...), and Prometheus is restarted on
   the new blocks between stages;
4. the queries: Grafana's variables expanded as dashboard-test.py does (dashboards.py), with
   the built-in ones for the whole range (builtins), every query run as a range query.
"""

import json
import multiprocessing
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request

import fleetgen
import promharness as h

RULES = os.path.join(h.REPO, "dashboards", "sysload-rules.yml")
FLEET_DASHBOARD = os.path.join(h.REPO, "dashboards", "sysload-fleet.json")
BYTES_PER_LINE = 95  # about, for sizing the windows (a float in full precision and a label set)


# -- step 1: raw blocks ------------------------------------------------------------------------

def write_window(fleet, tasks):
    """Runs fleetgen.write_parts for each task, in forked processes when there are several
    (they inherit the fleet); a process that dies is an error, not a hang."""
    if len(tasks) == 1:
        fleetgen.write_parts(fleet, *tasks[0])
        return
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=fleetgen.write_parts, args=(fleet,) + task) for task in tasks]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    failed = [p.exitcode for p in procs if p.exitcode != 0]
    if failed:
        raise h.TestFailure("a generator process failed (exit codes %s)" % failed)


def window_seconds(fleet, max_bytes):
    """The longest window (a divisor of 2 h, so that blocks stay aligned) whose text stays
    under max_bytes."""
    lines_per_second = sum(fleetgen.expected_series(x) for x in fleet.hosts) / fleet.interval
    for w in (7200, 3600, 1800, 1200, 900, 600, 300):
        if w * lines_per_second * BYTES_PER_LINE <= max_bytes or w == 300:
            return w


def build_raw_blocks(hs, fleet, data_dir, work_dir, workers=1, max_window_bytes=3 << 30, promtool_jobs=1):
    """Generates the fleet window by window and turns each window into a block in data_dir:
    the next window is generated while promtool reads the previous ones (at most
    promtool_jobs at a time; promtool is mostly one thread and slower than the generator).
    Returns {"windows", "window_s", "text_bytes", "generate_s", "promtool_s"}."""
    window = window_seconds(fleet, max_window_bytes)
    fams = fleetgen.om_families()
    n = len(fleet.hosts)
    slices = [list(range(i * n // workers, (i + 1) * n // workers)) for i in range(workers)]
    stats = {"windows": 0, "text_bytes": 0, "generate_s": 0.0, "promtool_s": 0.0, "window_s": window}
    pending = []  # (Popen, path, started) of the promtool runs reading earlier windows

    def finish(p):
        proc, path, started = p
        rc = proc.wait()
        stats["promtool_s"] += time.monotonic() - started
        os.remove(path)
        if rc != 0:
            raise h.TestFailure("promtool create-blocks-from openmetrics failed: %s" % hs.log_tail("promtool-om"))

    for w0 in range(fleet.start, fleet.end, window):
        w1 = min(w0 + window, fleet.end)
        started = time.monotonic()
        tasks = []
        for j, hosts in enumerate(slices):
            paths = [os.path.join(work_dir, "part-%03d-%03d" % (f, j)) for f in range(len(fams))]
            tasks.append((hosts, w0, w1, paths, os.path.join(work_dir, "tails-%03d" % j)))
        write_window(fleet, tasks)
        while len(pending) >= promtool_jobs:  # bounds the windows on disk
            finish(pending.pop(0))
        path = os.path.join(work_dir, "window-%d.om" % w0)
        with open(path, "w") as out:
            for f, (name, mtype, help_text) in enumerate(fams):
                out.write(fleetgen.family_header(name, mtype, help_text))
                for _, _, _, paths, _ in tasks:
                    with open(paths[f]) as part:
                        shutil.copyfileobj(part, out, 1 << 20)
                    os.remove(paths[f])
            out.write("# EOF\n")
        stats["text_bytes"] += os.path.getsize(path)
        stats["generate_s"] += time.monotonic() - started
        stats["windows"] += 1
        proc = hs.spawn("promtool-om", [h.PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", "-q",
                                        path, data_dir])
        pending.append((proc, path, time.monotonic()))
    while pending:
        finish(pending.pop(0))
    return stats


# -- step 2: Prometheus on the blocks ----------------------------------------------------------

class Server:
    """A Prometheus with no scrape targets, serving the blocks in data_dir."""

    def __init__(self, hs, data_dir, rule_files, extra_flags=()):
        self.hs = hs
        self.data_dir = data_dir
        self.rule_files = rule_files
        self.extra_flags = list(extra_flags)
        self.proc = None
        self.prom = None

    def start(self):
        cfg = os.path.join(self.hs.tmp, "prometheus-fleet.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  evaluation_interval: 1m\nrule_files:\n")
            for r in self.rule_files:
                f.write("  - %s\n" % json.dumps(r))
            f.write("scrape_configs: []\n")

        def argv(port):
            return [h.PROMETHEUS, "--config.file=" + cfg, "--storage.tsdb.path=" + self.data_dir,
                    "--web.listen-address=%s:%d" % (h.LOOPBACK, port), "--log.level=error"] + self.extra_flags

        self.proc, port = self.hs.start_listener("prometheus", argv, "/-/ready", lambda body: True, timeout=600)
        self.prom = Api("http://%s:%d" % (h.LOOPBACK, port))
        return self

    def stop(self):
        if self.proc is not None:
            self.hs.stop(self.proc, grace=60)
            self.proc = None

    def restart(self):
        self.stop()
        return self.start()

    def memory_kb(self):
        """VmRSS and VmHWM (the high-water mark) of the Prometheus process, in kB."""
        out = {}
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    k, v = line.split(":", 1)
                    out[k] = int(v.split()[0])
        return out

    def settle(self, log, limit=3600):
        """Waits until Prometheus has compacted the blocks as it would have over time (2 h
        blocks into 6 h and 18 h ones, overlapping rule blocks into the raw ones): two rounds of
        its once-a-minute compaction check without a compaction."""
        end = time.monotonic() + limit
        last, rounds_since = None, 0
        while time.monotonic() < end:
            m = self.prom.own_metrics()
            done = m.get("prometheus_tsdb_compactions_total", 0) \
                + m.get("prometheus_tsdb_vertical_compactions_total", 0)
            triggered = m.get("prometheus_tsdb_compactions_triggered_total", 0)
            if last is None or done != last[0]:
                last, rounds_since = (done, triggered), 0
            else:
                rounds_since = triggered - last[1]
            if rounds_since >= 2:
                log("ok   Prometheus settled: %d compactions, %d blocks"
                    % (done, m.get("prometheus_tsdb_blocks_loaded", 0)))
                return
            time.sleep(10)
        raise h.TestFailure("Prometheus was still compacting after %d s" % limit)


class Api:
    """Queries by POST, as Grafana sends them (a variable set to All can be long)."""

    def __init__(self, base):
        self.base = base

    def call(self, path, params, timeout=300):
        data = urllib.parse.urlencode(params, doseq=True).encode()
        req = urllib.request.Request("%s/api/v1/%s" % (self.base, path), data=data)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                body = json.load(e)
            except ValueError:
                raise h.TestFailure("%s: HTTP %d" % (path, e.code))
        if body.get("status") != "success":
            raise h.TestFailure("%s: %s" % (body.get("errorType"), body.get("error")))
        return body["data"]

    def get(self, path, params=None):
        url = "%s/api/v1/%s" % (self.base, path)
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        with urllib.request.urlopen(url, timeout=60) as r:
            return json.load(r)["data"]

    def range(self, expr, start, end, step):
        return self.call("query_range", {"query": expr, "start": start, "end": end, "step": step})["result"]

    def instant(self, expr, at):
        data = self.call("query", {"query": expr, "time": at})
        return data["result"]

    def label_values(self, label, match):
        return self.get("label/%s/values" % urllib.parse.quote(label), {"match[]": [match]})

    def rules(self):
        return self.get("rules")["groups"]

    def own_metrics(self):
        with urllib.request.urlopen(self.base + "/metrics", timeout=30) as r:
            text = r.read().decode()
        out = {}
        for line in text.splitlines():
            m = re.match(r"^(prometheus_tsdb_[a-z_]+) (\S+)$", line)
            if m:
                out[m.group(1)] = float(m.group(2))
        return out


# -- step 3: the rules ------------------------------------------------------------------------

def rule_stages(groups, rules_file):
    """The recording rules of rules_file as a list of stages, each a list of (group name,
    interval seconds, rule): a rule's stage is one more than that of any recorded series its
    query reads."""
    records = {}
    for g in groups:
        if os.path.abspath(g["file"]) != os.path.abspath(rules_file):
            continue
        for r in g["rules"]:
            if r["type"] == "recording":
                records.setdefault(r["name"], []).append((g["name"], g["interval"], r))
    stage = {}

    def stage_of(name, seen=()):
        if name in stage:
            return stage[name]
        if name in seen:
            raise h.TestFailure("recording rules read each other in a circle: %s" % name)
        deps = [other for other in records if other != name
                for _, _, r in records[name] if re.search(r"(?<![\w:])%s(?![\w:])" % re.escape(other), r["query"])]
        stage[name] = 1 + max([stage_of(d, seen + (name,)) for d in deps] or [0])
        return stage[name]

    out = {}
    for name, rules in records.items():
        out.setdefault(stage_of(name), []).extend(rules)
    return [out[s] for s in sorted(out)]


def stage_file(path, rules):
    """A rules file with the given rules in their groups and intervals."""
    groups = {}
    for group, interval, r in rules:
        groups.setdefault((group, interval), []).append(r)
    with open(path, "w") as f:
        f.write("groups:\n")
        for (group, interval), rs in groups.items():
            # JSON strings are YAML double-quoted scalars.
            f.write("  - name: %s\n    interval: %ds\n    rules:\n" % (json.dumps(group), interval))
            for r in rs:
                f.write("      - record: %s\n        expr: %s\n" % (json.dumps(r["name"]), json.dumps(r["query"])))
                if r.get("labels"):
                    f.write("        labels:\n")
                    for k, v in sorted(r["labels"].items()):
                        f.write("          %s: %s\n" % (k, json.dumps(v)))


def backfill_rules(hs, server, fleet, work_dir, log):
    """Backfills the recording rules of RULES over the fleet's range, stage by stage; the
    server is restarted on the new blocks after each stage. Returns seconds spent in promtool."""
    stages = rule_stages(server.prom.rules(), RULES)
    spent = 0.0
    # One path for every stage: a group is evaluated at an offset within its interval hashed
    # from its name and file, so the rules of a group keep one evaluation time across stages,
    # as in a Prometheus that loads the whole file (a daily peak then covers every sample).
    path = os.path.join(work_dir, os.path.basename(RULES))
    for i, rules in enumerate(stages, 1):
        stage_file(path, rules)
        out = os.path.join(work_dir, "rules-%d" % i)
        started = time.monotonic()
        p = hs.spawn("promtool-rules", [h.PROMTOOL, "tsdb", "create-blocks-from", "rules",
                                        "--start=%d" % fleet.start, "--end=%d" % fleet.end,
                                        "--url=" + server.prom.base, "--output-dir=" + out, path])
        if p.wait() != 0:
            raise h.TestFailure("promtool create-blocks-from rules (stage %d) failed: %s"
                                % (i, hs.log_tail("promtool-rules")))
        spent += time.monotonic() - started
        blocks = [b for b in os.listdir(out) if os.path.isdir(os.path.join(out, b))]
        for b in blocks:
            os.rename(os.path.join(out, b), os.path.join(server.data_dir, b))
        shutil.rmtree(out, ignore_errors=True)
        log("ok   rules stage %d: %d rules (%s) backfilled into %d blocks in %.1f s"
            % (i, len(rules), ", ".join(sorted({r["name"] for _, _, r in rules})), len(blocks),
               time.monotonic() - started))
        server.restart()
    return spent


# -- step 4: queries ---------------------------------------------------------------------------

def grafana_step(fleet, points=720):
    """The step Grafana would ask for the whole range in a panel about 720 points wide, a
    multiple of the scrape interval."""
    span = fleet.end - fleet.start
    step = max(fleet.interval, -(-span // points))
    return -(-step // fleet.interval) * fleet.interval


def builtins(fleet, step):
    """Grafana's built-in variables for a query over the whole range at this step."""
    span = fleet.end - fleet.start
    # $__rate_interval: max($__interval + scrape interval, 4 * scrape interval)
    rate = max(step + fleet.interval, 4 * fleet.interval)
    return {"__rate_interval": "%ds" % rate, "__interval": "%ds" % step, "__interval_ms": str(step * 1000),
            "__range": "%ds" % span, "__range_s": str(span), "__range_ms": str(span * 1000)}


# Fleet questions asked of the raw series and of the recorded ones: the same answer (but for
# the zeros, which only the recorded series have), so the benchmark compares like with like;
# fleet-test.py checks that the two agree.
RAW_VS_RECORDED = [
    ("hosts per job",
     'count by (job) (sysload_sysload_five)',
     'job:sysload_hosts:count'),
    ("p90 of the 5-minute mean per job",
     'quantile by (job) (0.9, sysload_sysload_five)',
     'job:sysload_sysload_five:quantile{quantile="0.9"}'),
    ("hosts above 90 per job",
     'count by (job) (sysload_sysload_five > 90)',
     'job:sysload_hosts_above90:count'),
    ("heatmap buckets (le=50)",
     'count by (job) (sysload_sysload_five <= 50)',
     'job_le:sysload_hosts:count{le="50"}'),
    ("hosts by driving resource",
     'count by (job, resource) (%(driver)s)',
     'job_resource:sysload_hosts_driven:count'),
    ("daily peak per host",
     'max_over_time(sysload_sysload_fifteen[1d])',
     'instance:sysload_sysload_fifteen:max_over_time1d'),
    ("p90 of the daily peaks per job",
     'quantile by (job) (0.9, max_over_time(sysload_sysload_fifteen[1d]))',
     'job:sysload_sysload_fifteen:quantile_max_over_time1d{quantile="0.9"}'),
    # The daily figures of the seconds are read from the hourly rates and only approach the
    # raw rate over a day (the first and last hour weigh less): the hourly ones are exact.
    ("share of saturated seconds per host (1 h)",
     '1 - (sum by (job, instance) (rate(sysload_per_second_sysload_bucket{le="90.0"}[1h]))'
     ' / sum by (job, instance) (rate(sysload_per_second_sysload_bucket{le="+Inf"}[1h])))',
     'instance:sysload_saturated_seconds:ratio_rate1h'),
    ("p99 of per-second sysload per host (1 h)",
     'histogram_quantile(0.99, sum by (job, instance, le) (rate(sysload_per_second_sysload_bucket[1h])))',
     'instance:sysload_per_second_sysload:p99_rate1h'),
]


def raw_vs_recorded(groups):
    """RAW_VS_RECORDED with the driver rule's query (as Prometheus parsed it) filled in."""
    driver = [r["query"] for g in groups for r in g["rules"]
              if r["name"] == "instance:sysload_candidate_percent:max_avg_over_time5m"][0]
    return [(what, raw % {"driver": driver} if "%(driver)s" in raw else raw, rec)
            for what, raw, rec in RAW_VS_RECORDED]


def blocks_bytes(path):
    """Bytes of the persisted blocks under a TSDB directory (the WAL and head chunks left out)."""
    total = 0
    for root, _, files in os.walk(path):
        if os.path.basename(root) in ("wal", "chunks_head"):
            continue
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total
