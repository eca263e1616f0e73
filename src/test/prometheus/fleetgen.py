#!/usr/bin/env python3
"""A synthetic fleet of sysload-exporter hosts, written as OpenMetrics for promtool's backfill.

    python3 src/test/prometheus/fleetgen.py --hosts 50 --hours 6 > fleet.om
    python3 src/test/prometheus/fleetgen.py --check-e2e

Python 3 standard library only. Each host exports what the real exporter exports for its shape
(its NICs and disks), plus the five series Prometheus adds to every target it scrapes (up,
scrape_duration_seconds, ...), at the scrape interval over the time range. The metric families,
their types, help and labels are not written down here: they are read from the end-to-end
test's expected /metrics (src/test/resources/e2e/metrics.txt) and expanded to each host's
NICs and disks, so a family the exporter gains or loses fails --check-e2e (and fleet-test.py)
instead of drifting. Only the families that depend on the JVM, which that file leaves out
(build info and process_*), are listed below; fleet-test.py compares them with a live scrape.

The fleet: three jobs (sysload, sysload-db, sysload-batch) with CPU-, NIC-IRQ- and disk-bound
hosts, diurnal, flat, bursty, saturated and idle load shapes, NIC-IRQ CPUs that are all CPUs
(so the si_cpu candidate ties with cpu), hosts without a NIC, and three hosts with incidents
(an exporter whose /proc/stat reads fail for a while, one whose diskstats reads fail, one
that is down), so that every panel and every rule has something to show. Values are made the
way the exporter makes them (jiffies and milliseconds over a one-second interval, so they have
the exporter's full-precision fractions, which matter for the size of the blocks). Everything
is a function of the host's index and the time: the same arguments give the same bytes.
"""

import argparse
import bisect
import math
import os
import pickle
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
E2E_METRICS = os.path.join(REPO, "src", "test", "resources", "e2e", "metrics.txt")

# 2025-11-24T16:00:00Z, the end-to-end test's clock; a multiple of 2 h, so block boundaries,
# rule evaluations and the range all line up.
DEFAULT_START = 1764000000
THRESHOLD = 40.0
SATURATION = 90.0  # --saturation-threshold
# The per-second histogram's bucket bounds (sysload_per_second_sysload), as the exporter has them.
BOUNDS = (10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0, 99.0, 100.0)
REFRESH = 1  # the exporter's default sampling interval, seconds
JOBS = ("sysload", "sysload-db", "sysload-batch")

# Families that depend on the JVM running the exporter (left out of metrics.txt by
# EndToEndTest.stable), as SysloadCollector names, types and explains them.
JVM_FAMILIES = [
    ("sysload_build_info", "gauge", "Always 1; the labels say which sysload-exporter and Java runtime are running.",
     ("version", "javaversion")),
    ("process_cpu_seconds_total", "counter", "Total user and system CPU time spent by the exporter in seconds.", ()),
    ("process_resident_memory_bytes", "gauge", "Resident memory size of the exporter in bytes.", ()),
    ("process_virtual_memory_bytes", "gauge", "Virtual memory size of the exporter in bytes.", ()),
    ("process_open_fds", "gauge", "Number of open file descriptors.", ()),
    ("process_max_fds", "gauge", "Maximum number of open file descriptors.", ()),
    ("process_start_time_seconds", "gauge", "Start time of the exporter since unix epoch in seconds.", ()),
]
# What Prometheus itself stores for every target it scrapes.
TARGET_FAMILIES = [
    ("up", "gauge", "1 if the target was scraped, 0 if the scrape failed."),
    ("scrape_duration_seconds", "gauge", "Duration of the scrape."),
    ("scrape_samples_scraped", "gauge", "Samples the target exposed."),
    ("scrape_samples_post_metric_relabeling", "gauge", "Samples left after metric relabelling."),
    ("scrape_series_added", "gauge", "Series new in this scrape."),
]

LINE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(?:\s+(\S+))?$')
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


# -- the exporter's metric families ----------------------------------------------------------

class Family:
    def __init__(self, name, mtype, help_text):
        self.name = name          # as the text format names it (counters end in _total)
        self.type = mtype
        self.help = help_text
        self.samples = []         # (sample name, {label: value}) in exposition order

    @property
    def om_name(self):
        """OpenMetrics names a counter family without its _total suffix."""
        if self.type == "counter" and self.name.endswith("_total"):
            return self.name[:-len("_total")]
        return self.name


def parse_exposition(text):
    """Families of a text-format (0.0.4) or OpenMetrics exposition, in order."""
    families = {}
    order = []

    def family(name):
        if name not in families:
            families[name] = Family(name, "untyped", "")
            order.append(name)
        return families[name]

    for line in text.splitlines():
        if not line.strip() or line.startswith("# EOF"):
            continue
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            _, kind, name, rest = (line.split(" ", 3) + [""])[:4]
            if kind == "HELP":
                family(name).help = rest
            else:
                family(name).type = rest
            continue
        if line.startswith("#"):
            continue
        m = LINE_RE.match(line)
        if not m:
            raise ValueError("cannot parse exposition line %r" % line)
        name, labels = m.group(1), dict(LABEL_RE.findall(m.group(3) or ""))
        owner = name if name in families else None
        if owner is None:  # OpenMetrics counters: family "x", sample "x_total"; histograms' parts
            for suffix in ("_total", "_created", "_bucket", "_count", "_sum"):
                if name.endswith(suffix) and name[:-len(suffix)] in families:
                    owner = name[:-len(suffix)]
        if owner is None:
            owner = name
        family(owner).samples.append((name, labels))
    return [families[n] for n in order]


def load_template():
    """The exporter's families: metrics.txt, then the JVM-dependent ones."""
    with open(E2E_METRICS) as f:
        fams = parse_exposition(f.read())
    for name, mtype, help_text, label_names in JVM_FAMILIES:
        fam = Family(name, mtype, help_text)
        fam.samples.append((name, {k: "" for k in label_names}))
        fams.append(fam)
    return fams


TEMPLATE = load_template()


def _template_devices(family):
    for fam in TEMPLATE:
        if fam.name == family:
            return {labels["device"] for _, labels in fam.samples}
    raise ValueError("metrics.txt has no family %s" % family)


# The e2e host's NIC and disk, as metrics.txt names them: a sample labelled with one of these
# stands for "each NIC" or "each disk" of another host.
TEMPLATE_NICS = _template_devices("sysload_nic_irq_cpus")
TEMPLATE_DISKS = _template_devices("sysload_io_util")


def exporter_series(nics, disks, si_nic):
    """(family, sample name, labels) of every series the exporter exports for a host with these
    NICs and disks whose NIC-IRQ group is si_nic's ("" with no NIC), in exposition order."""
    out = []
    for fam in TEMPLATE:
        for name, labels in fam.samples:
            dev = labels.get("device")
            if dev is None or dev == "":
                out.append((fam, name, labels))
            elif dev in TEMPLATE_NICS:
                # One si_cpu candidate, for the NIC whose group won; one of the rest per NIC.
                names = [si_nic] if labels.get("resource") == "si_cpu" else nics
                out.extend((fam, name, dict(labels, device=n)) for n in names)
            elif dev in TEMPLATE_DISKS:
                out.extend((fam, name, dict(labels, device=d)) for d in disks)
            else:
                raise ValueError("metrics.txt: %s has a device %r that is neither its NIC nor its disk" % (name, dev))
    return out


def series_key(name, labels):
    """A series as Prometheus stores it: a label with an empty value is no label."""
    return name + "{" + ",".join('%s="%s"' % (k, v) for k, v in sorted(labels.items()) if v != "") + "}"


# -- the fleet --------------------------------------------------------------------------------

def mix(*xs):
    """A 64-bit hash of integers (splitmix64 steps): the generator's only source of noise."""
    h = 0x9E3779B97F4A7C15
    for x in xs:
        h = (h ^ (x & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF
        h = (h ^ (h >> 31)) * 0x94D049BB133111EB & 0xFFFFFFFFFFFFFFFF
        h ^= h >> 29
    return h


def pick(h, choices):
    return choices[h % len(choices)]


def frac(h, bits=16, shift=0):
    return ((h >> shift) & ((1 << bits) - 1)) / float(1 << bits)


# Twenty hosts repeat: (job, driving resource, load shape, NIC layout). "spread": the NIC's
# IRQs are on every CPU, so its group is all CPUs and si_cpu equals cpu (a tie cpu must win);
# "none": no NIC, si_cpu is then all CPUs too but below the interrupt threshold.
PATTERN = [
    ("sysload", "cpu", "diurnal", "nic"),
    ("sysload", "cpu", "diurnal", "nic"),
    ("sysload", "cpu", "flat", "nic"),
    ("sysload", "cpu", "bursty", "nic"),
    ("sysload", "si_cpu", "flat", "nic"),
    ("sysload", "si_cpu", "diurnal", "nic"),
    ("sysload", "cpu", "flat", "spread"),
    ("sysload", "cpu", "diurnal", "none"),
    ("sysload", "io", "diurnal", "nic"),
    ("sysload", "cpu", "saturated", "nic"),
    ("sysload", "idle", "idle", "nic"),
    ("sysload", "si_cpu", "diurnal", "nic"),
    ("sysload-db", "io", "diurnal", "nic"),
    ("sysload-db", "io", "flat", "nic"),
    ("sysload-db", "io", "bursty", "nic"),
    ("sysload-db", "io", "flat", "nic"),
    ("sysload-db", "cpu", "diurnal", "nic"),
    ("sysload-batch", "cpu", "batch", "nic"),
    ("sysload-batch", "cpu", "batch", "nic"),
    ("sysload-batch", "cpu", "bursty", "nic"),
]
MIN_HOSTS = len(PATTERN)  # fewer would leave out a shape, a job or an incident

# Incidents, as fractions of the range, on the first three hosts (all in job sysload):
STALE = (0, 0.20, 0.35)       # /proc/stat unreadable: the last good sample is served, frozen
DISKSTATS = (1, 0.25, 0.40)   # /proc/diskstats unreadable: no disk values
DOWN = (2, 0.30, 0.45)        # the exporter is not running: the scrape fails
BATCH = (0.40, 0.70)          # the batch job's nightly run saturates its "batch" hosts
# An incident lasts at least this long, whatever the range: its alerts need their windows and
# "for" inside it (SysloadSampleFailures: failures in the last 5 minutes, for 15 minutes), and
# 15 % of a 2-hour range is only 18 minutes.
MIN_INCIDENT_S = 30 * 60

KINDS = {
    # host kind: (NIC names, disk names)
    "virtio": (["eth0", "eth1", "eth2", "eth3"], ["vda", "vdb", "vdc", "vdd", "vde", "vdf", "vdg", "vdh",
                                                 "vdi", "vdj", "vdk", "vdl"]),
    "cloud": (["ens5", "ens6", "ens7", "ens8"], ["nvme%dn1" % i for i in range(12)]),
    "metal": (["eno1", "eno2", "ens1f0np0", "ens1f1np1"], ["nvme0n1", "nvme1n1"] + ["sd" + c for c in "abcdefghij"]),
}


class Host:
    """One synthetic exporter: its labels, shape, and its values at any step."""

    def __init__(self, idx, fleet):
        self.idx = idx
        self.fleet = fleet
        job, driver, shape, nic_layout = PATTERN[idx % len(PATTERN)]
        self.job, self.driver, self.shape = job, driver, shape
        prefix = {"sysload": "app", "sysload-db": "db", "sysload-batch": "batch"}[job]
        self.instance = "%s-%05d:9858" % (prefix, idx)
        h = mix(idx, 1)
        self.seed = mix(idx, 2)
        self.kind = pick(h, ["virtio", "virtio", "cloud", "cloud", "metal"])
        nic_names, disk_names = KINDS[self.kind]
        n_nics = 0 if nic_layout == "none" else pick(h >> 8, [1] * 12 + [2] * 5 + [4] * 2)
        n_disks = pick(h >> 16, [1] * 6 + [2] * 6 + [4] * 5 + [8] * 2 + [12])
        if driver == "io":
            n_disks = max(n_disks, 2)  # a hot disk beside cooler ones
        self.ncpu = pick(h >> 24, [2, 4, 4, 8, 8, 16, 16, 32, 64])
        self.nics = nic_names[:n_nics]
        self.disks = disk_names[:n_disks]
        self.si_nic = self.nics[0] if self.nics else ""
        # A spread NIC's IRQ work (system and softirq) keeps its group, all CPUs, above the
        # interrupt threshold, so si_cpu equals cpu: the tie the rules must give to cpu.
        self.spread = nic_layout == "spread"
        # CPUs serving the NIC's receive IRQs: a few, or all of them when spread.
        self.nic_cpus = {n: self.ncpu if self.spread else max(1, min(self.ncpu // 2, pick(h >> (32 + i), [1, 2, 4, 8])))
                         for i, n in enumerate(self.nics)}
        self.group = self.nic_cpus.get(self.si_nic, self.ncpu)
        self.offset = h % fleet.interval  # Prometheus spreads targets over the interval
        r1, r2 = frac(h, shift=40), frac(h, shift=48)
        if shape == "diurnal":
            lo, hi = (0.55, 0.76) if driver == "si_cpu" else (0.12 + 0.15 * r1, 0.55 + 0.17 * r2)
            self.low, self.high = lo, hi
            self.peak = 14 * 3600 + int(r1 * 6 * 3600)  # peak hour of day, 14:00 to 20:00 UTC
        elif shape == "flat":
            if self.spread:
                self.level = 0.68 + 0.12 * r1
            elif driver == "si_cpu":
                self.level = 0.6 + 0.15 * r1
            else:
                self.level = 0.2 + 0.4 * r1
        elif shape == "bursty":
            self.level, self.burst = 0.08 + 0.1 * r1, 0.86 + 0.14 * r2
        elif shape in ("saturated", "batch"):
            self.level = 0.95 + 0.05 * r1
        self.rss = 44_000_000 + int(6_000_000 * r2)
        self.version = fleet.version
        self.series = exporter_series(self.nics, self.disks, self.si_nic)
        self.incidents = {}
        for name, (who, a, b) in (("stale", STALE), ("diskstats", DISKSTATS), ("down", DOWN)):
            if idx == who:
                begins = fleet.at(a)
                self.incidents[name] = (begins, min(fleet.end, max(fleet.at(b), begins + MIN_INCIDENT_S)))
        # The exporter started some time before the range (and again when it comes back up).
        self.started = fleet.start - 3600 - int(r1 * 86400)

    # -- time ---------------------------------------------------------------------------

    def step_time(self, k):
        return self.fleet.start + self.offset + k * self.fleet.interval

    def in_incident(self, name, t):
        span = self.incidents.get(name)
        return span is not None and span[0] <= t < span[1]

    def exporter_start(self, t):
        if "down" in self.incidents and t >= self.incidents["down"][1]:
            return self.incidents["down"][1]
        return self.started

    # -- load -----------------------------------------------------------------------------

    def load(self, t):
        """0..1: how busy the host's driving resource is at time t."""
        s = self.shape
        if s == "idle":
            return 0.0
        if s == "flat" or s == "saturated":
            return self.level
        if s == "diurnal":
            return self.low + (self.high - self.low) * (0.5 + 0.5 * math.cos(2 * math.pi * (t - self.peak) / 86400))
        if s == "batch":
            a, b = self.fleet.at(BATCH[0]), self.fleet.at(BATCH[1])
            return self.level if a <= t < b else 0.3
        # bursty: in half of the hours, one burst of 5 to 25 minutes
        hour = t // 3600
        hh = mix(self.seed, hour)
        if hh & 1:
            begin = hour * 3600 + (hh >> 1) % 2400
            if begin <= t < begin + 300 + (hh >> 13) % 1200:
                return self.burst
        return self.level

    def last_step(self, t):
        """The step of the host's last scrape at or before t (None before the first)."""
        k = int((t - self.fleet.start - self.offset) // self.fleet.interval)
        return min(k, self.fleet.steps() - 1) if k >= 0 else None

    def five_at(self, t):
        """sysload_sysload_five as Prometheus sees it at t, outside incidents: the mean of the
        sysload of the scrapes of the last 5 minutes up to the last one at or before t."""
        k = self.last_step(t)
        per = max(1, 300 // self.fleet.interval)
        first = max(0, k - per + 1)
        down = self.incidents.get("down")
        if down and t >= down[1]:  # the exporter's means start again when it does
            first = max(first, -(-(down[1] - self.step_time(0)) // self.fleet.interval))
        values = [self.sample(j)["sysload"] for j in range(first, k + 1)]
        return sum(values) / len(values)

    def sample(self, k):
        """The exporter's values at step k: a dict of the quantities its series show."""
        t = self.step_time(k)
        h = mix(self.seed, k)
        noise = 1.0 + 0.1 * (frac(h, 12, 0) - 0.5)  # +-5 %
        u = min(1.0, self.load(t) * noise)
        n = self.ncpu
        drv = self.driver
        # Busy fraction of all CPUs, and the mode mix of their busy time.
        if drv == "cpu" or drv == "idle":
            cpu_busy = u
        elif drv == "si_cpu":
            # The group's CPUs are as busy as the load, the rest a third of that.
            cpu_busy = (self.group * u + (n - self.group) * u / 3) / n
        else:
            cpu_busy = 0.3 * u
        # A spread NIC's IRQ work is on every CPU: system and softirq above the threshold.
        mix_all = (0.3, 0.0, 0.35, 0.0, 0.05, 0.3) if self.spread else (0.7, 0.01, 0.18, 0.06, 0.01, 0.04)
        total = n * 100 + (h >> 12) % 5 - 2  # jiffies in one second, as a real read sees them
        cpu = _modes(cpu_busy, total, mix_all)
        if not self.nics or self.spread:
            si = cpu  # the aggregate line, as the exporter uses it
        else:
            g_busy = u if drv == "si_cpu" else cpu_busy * 0.8
            g_mix = (0.1, 0.0, 0.25, 0.0, 0.05, 0.6) if drv == "si_cpu" else (0.75, 0.0, 0.18, 0.02, 0.0, 0.05)
            si = _modes(g_busy, self.group * 100 + (h >> 15) % 3 - 1, g_mix)
        share = si[2] + si[5] + si[6]
        si_cand = 100.0 - si[3] if share > THRESHOLD else 0.0
        cpu_cand = 100.0 - cpu[3]
        io = []
        elapsed = 1000 + (h >> 18) % 4  # ms between the two diskstats reads
        for i, _ in enumerate(self.disks):
            if drv == "io" and i == 0:
                util = u
            else:
                util = 0.25 * u * (0.6 + 0.8 * frac(h, 8, 20 + 4 * i % 40))
            io.append(min(100.0, round(util * elapsed) * 100.0 / elapsed))
        if self.in_incident("diskstats", t):
            io = None
        load = max([cpu_cand, si_cand] + (io or []))
        rate = 1 + 3 * u
        return {
            "t": t, "cpu": cpu, "si": si, "io": io, "cpu_cand": cpu_cand, "si_cand": si_cand, "sysload": load,
            "ctxt": round(n * (700 + 2600 * rate) * noise, 1), "intr": round(n * (250 + 900 * rate) * noise, 1),
            "frac": frac(h, 8, 24),
        }


def _modes(busy, total, weights):
    """user nice system idle wio intr sintr percents for a busy fraction over `total` jiffies,
    computed from whole jiffies as the exporter does (so with its full-precision fractions)."""
    busy_j = int(round(max(0.0, min(1.0, busy)) * total))
    user_w, nice_w, sys_w, wio_w, intr_w, sintr_w = weights
    nice = int(busy_j * nice_w)
    system = int(busy_j * sys_w)
    wio = int(busy_j * wio_w)
    intr = int(busy_j * intr_w)
    sintr = int(busy_j * sintr_w)
    user = busy_j - nice - system - wio - intr - sintr
    idle = total - busy_j
    return (user * 100.0 / total, nice * 100.0 / total, system * 100.0 / total, idle * 100.0 / total,
            wio * 100.0 / total, intr * 100.0 / total, sintr * 100.0 / total)


class Fleet:
    def __init__(self, hosts, start, hours, interval):
        if hosts < MIN_HOSTS:
            raise ValueError("a fleet needs at least %d hosts (one of every kind)" % MIN_HOSTS)
        self.start = start
        self.end = start + int(hours * 3600)
        self.interval = interval
        self.version = _pom_version()
        self.hosts = [Host(i, self) for i in range(hosts)]

    def at(self, fraction):
        """A time at this fraction of the range, on a whole minute."""
        return self.start + int((self.end - self.start) * fraction) // 60 * 60

    def steps(self):
        return (self.end - self.start) // self.interval

    def jobs(self):
        return sorted({h.job for h in self.hosts})


def _pom_version():
    with open(os.path.join(REPO, "pom.xml")) as f:
        m = re.search(r"<artifactId>sysload-exporter</artifactId>\s*<version>([^<]+)</version>", f.read())
    return m.group(1) if m else "0.0.0"


# -- writing ---------------------------------------------------------------------------------

MEAN_WINDOWS = {"one": 60, "five": 300, "fifteen": 900}
MODE_INDEX = {"user": 0, "nice": 1, "system": 2, "idle": 3, "wio": 4, "intr": 5, "sintr": 6}
SOURCES = ("stat", "diskstats", "interrupts", "sysfs")


class Tally:
    """The seconds behind the means, counted as the exporter counts them since it started: each
    sample weighs the seconds since the last counted one (the generator has one sample per
    scrape, so each stands for its whole interval; a frozen exporter counts nothing, and its
    first good sample after covers the gap), by band of sysload, by the candidate that drove
    it and by the candidates at or above the saturation threshold."""

    def __init__(self, epoch):
        self.epoch = epoch  # when the exporter started: it counts from 0 again after a restart
        self.last_t = epoch
        self.bands = [0.0] * (len(BOUNDS) + 1)
        self.total = 0.0
        self.sum = 0.0
        self.driving = {}
        self.saturated = {}

    def add(self, host, s, t):
        seconds = float(t - self.last_t)
        self.last_t = t
        if seconds <= 0:
            return
        load = s["sysload"]
        self.bands[bisect.bisect_left(BOUNDS, load)] += seconds
        self.total += seconds
        self.sum += load * seconds
        cands = [(("cpu", ""), s["cpu_cand"]), (("si_cpu", host.si_nic), s["si_cand"])]
        if s["io"] is not None:
            cands += [(("io", d), v) for d, v in zip(host.disks, s["io"])]
        top = None
        for key, v in cands:
            # the first of the largest: ties go to cpu, then si_cpu, then the disks in order
            if v > 0 and (top is None or v > top[1]):
                top = (key, v)
            self.driving.setdefault(key, 0.0)
            self.saturated[key] = self.saturated.get(key, 0.0) + (seconds if v >= SATURATION else 0.0)
        if top is not None:
            self.driving[top[0]] += seconds

    def at_or_below(self, i):
        return sum(self.bands[:i + 1])

    def copy(self):
        c = Tally(self.epoch)
        c.last_t, c.bands, c.total, c.sum = self.last_t, list(self.bands), self.total, self.sum
        c.driving, c.saturated = dict(self.driving), dict(self.saturated)
        return c


class HostWriter:
    """Writes one host's lines for a window of steps into per-family files."""

    def __init__(self, host):
        self.host = host
        base = 'instance="%s",job="%s"' % (host.instance, host.job)
        self.base = base
        # Per series: (family, line prefix, value function of (sample, step, t)).
        # Per series: (family, line prefix, constant value or None, value function or None).
        self.plan = [(fam, self._prefix(name, labels)) + self._value_fn(name, labels)
                     for fam, name, labels in host.series]
        self.target = [(name, "%s{%s} " % (name, base)) for name, _, _ in TARGET_FAMILIES]

    def _prefix(self, name, labels):
        labels = dict(labels)
        if "version" in labels:
            labels.update(version=self.host.version, javaversion="17.0.15")
        own = ",".join('%s="%s"' % (k, v) for k, v in labels.items() if v != "")
        return "%s{%s} " % (name, self.base + ("," + own if own else ""))

    def _value_fn(self, name, labels):
        """(constant, None) for a series whose value never changes, else (None, f(sample, meta))."""
        const = self._constant(name, labels)
        return (const, None) if const is not None else (None, self._varying(name, labels))

    def _constant(self, name, labels):
        if name == "sysload_nic_irq_cpus":
            return float(self.host.nic_cpus[labels["device"]])
        return {"sysload_interrupt_threshold_percent": THRESHOLD, "sysload_source_skipped_lines_total": 0.0,
                "sysload_saturation_threshold_percent": SATURATION,
                "sysload_build_info": 1.0, "process_virtual_memory_bytes": 3.62e9,
                "process_max_fds": 524288.0}.get(name)

    def _varying(self, name, labels):
        host = self.host
        n = name
        if n == "sysload_sysload":
            return lambda s, m: s["sysload"]
        if n in ("sysload_sysload_one", "sysload_sysload_five", "sysload_sysload_fifteen"):
            key = n.rsplit("_", 1)[1]
            return lambda s, m: m[key]
        if n in ("sysload_si_cpu", "sysload_cpu_percent"):
            part, i = ("si" if n == "sysload_si_cpu" else "cpu"), MODE_INDEX[labels["mode"]]
            return lambda s, m: s[part][i]
        if n == "sysload_io_util" or (n == "sysload_candidate_percent" and labels["resource"] == "io"):
            i = host.disks.index(labels["device"])
            return lambda s, m: None if s["io"] is None else s["io"][i]
        if n == "sysload_candidate_percent":
            key = {"cpu": "cpu_cand", "si_cpu": "si_cand"}[labels["resource"]]
            return lambda s, m: s[key]
        if n == "sysload_proc_ctxt":
            return lambda s, m: s["ctxt"]
        if n == "sysload_proc_intr":
            return lambda s, m: s["intr"]
        if n == "sysload_last_sample_timestamp_seconds":
            return lambda s, m: m["last_ok"] - 1 + s["frac"]
        if n == "sysload_samples_total":
            return lambda s, m: float(m["last_ok"] - host.exporter_start(m["t"]))
        if n == "sysload_sample_failures_total":
            return lambda s, m: float(m["failures"])
        if n == "sysload_source_up":
            src = labels["source"]
            return lambda s, m: 0.0 if m["down_source"] == src else 1.0
        if n == "sysload_source_failures_total":
            src = labels["source"]
            return lambda s, m: float(m["source_failures"].get(src, 0))
        if n == "sysload_per_second_sysload_bucket":
            le = labels["le"]
            i = len(BOUNDS) if le == "+Inf" else BOUNDS.index(float(le))
            return lambda s, m: m["tally"].at_or_below(i)
        if n == "sysload_per_second_sysload_count":
            return lambda s, m: m["tally"].total
        if n == "sysload_per_second_sysload_sum":
            return lambda s, m: m["tally"].sum
        if n in ("sysload_driving_seconds_total", "sysload_saturated_seconds_total"):
            key = (labels["resource"], labels["device"])
            part = "driving" if n == "sysload_driving_seconds_total" else "saturated"
            return lambda s, m: getattr(m["tally"], part).get(key, 0.0)
        if n == "process_cpu_seconds_total":
            return lambda s, m: round((m["t"] - host.exporter_start(m["t"])) * 0.0021, 2)
        if n == "process_resident_memory_bytes":
            return lambda s, m: float(host.rss + 4096 * (int(s["frac"] * 64)))
        if n == "process_open_fds":
            return lambda s, m: 15.0 + int(s["frac"] * 3)
        if n == "process_start_time_seconds":
            return lambda s, m: float(host.exporter_start(m["t"])) + 0.37
        raise ValueError("metrics.txt has %s, which the fleet generator does not model: teach fleetgen.py" % n)

    def write(self, k0, k1, out, family_index, tail=None):
        """Lines of steps k0 <= k < k1, appended to out[family_index[family om name]].
        tail: what this returned for the steps before k0 (else they are computed again, from
        the first: a stale exporter's frozen means reach back before its incident). Returns the
        tail for the steps from k1 on."""
        host = self.host
        # The means are over the samples of the last 60, 300 and 900 seconds, as the
        # exporter's (since it started; frozen with the rest while /proc/stat fails).
        if tail is not None:
            first, (times, values, tally) = k0, tail
            tally = tally.copy()
        else:
            first, times, values, tally = 0, [], [], None
        up_ts = []  # " <time>\n" of the steps at which the exporter answered
        varying = [(i, fn) for i, (_, _, const, fn) in enumerate(self.plan) if fn is not None]
        n_const = len(self.plan) - len(varying)
        vals = [[] for _ in self.plan]
        target_ts, target_vals = [], [[] for _ in self.target]
        stale = host.incidents.get("stale")
        ds = host.incidents.get("diskstats")
        down = host.incidents.get("down", (0, 0))
        frozen = None
        for k in range(first, k1):
            t = host.step_time(k)
            if down[0] <= t < down[1]:
                times, values = [], []
                if k >= k0:
                    target_ts.append(" %d\n" % t)
                    for i, v in enumerate((0, 0.0012 + 0.0004 * (k % 3), 0, 0, 0)):
                        target_vals[i].append(v)
                continue
            s = host.sample(k)
            meta = {"t": t, "last_ok": t, "failures": 0, "down_source": None, "source_failures": {}}
            if stale and t >= stale[0]:
                failed = int(min(t, stale[1]) - stale[0])  # one failed sample per second
                meta["failures"] = failed
                meta["source_failures"]["stat"] = failed
                if t < stale[1]:
                    # The last good sample is served, with its values and its time.
                    if frozen is None:  # the last step before the incident
                        last = -(-(stale[0] - host.step_time(0)) // host.fleet.interval) - 1
                        frozen = host.sample(last)
                    s = dict(frozen, frac=s["frac"])
                    meta["last_ok"] = frozen["t"]
                    meta["down_source"] = "stat"
            if ds and t >= ds[0]:
                meta["source_failures"]["diskstats"] = int(min(t, ds[1]) - ds[0])
                if t < ds[1]:
                    meta["down_source"] = "diskstats"
            if stale and stale[0] <= t < stale[1]:
                t_means = frozen["t"]
            else:
                times.append(t)
                values.append(s["sysload"])
                t_means = t
                epoch = host.exporter_start(t)
                if tally is None or tally.epoch != epoch:
                    # its counts up to the first scrape seen: the uptime, all like this sample
                    tally = Tally(epoch)
                tally.add(host, s, t)
            meta["tally"] = tally
            if k < k0:
                continue
            for key, seconds in MEAN_WINDOWS.items():
                window = values[bisect.bisect_right(times, t_means - seconds):]
                meta[key] = sum(window) / len(window) if window else s["sysload"]
            ts = " %d\n" % t
            up_ts.append(ts)
            n_samples = n_const
            for i, fn in varying:
                v = fn(s, meta)
                vals[i].append(v)
                if v is not None:
                    n_samples += 1
            first_scrape = k == 0 or host.step_time(k - 1) < down[1] <= t
            target_ts.append(ts)
            for i, v in enumerate((1, 0.0008 + 0.0001 * int(s["frac"] * 20), n_samples, n_samples,
                                   n_samples if first_scrape else 0)):
                target_vals[i].append(v)
        for i, (fam, prefix, const, fn) in enumerate(self.plan):
            if fn is None:
                pv = prefix + repr(const)
                text = "".join([pv + ts for ts in up_ts])
            else:
                text = "".join([prefix + repr(v) + ts for v, ts in zip(vals[i], up_ts) if v is not None])
            if text:
                out[family_index[fam.om_name]].write(text)
        for (name, prefix), vs in zip(self.target, target_vals):
            if vs:
                out[family_index[name]].write("".join([prefix + repr(v) + ts for v, ts in zip(vs, target_ts)]))
        keep = bisect.bisect_right(times, times[-1] - MEAN_WINDOWS["fifteen"]) if times else 0
        return times[keep:], values[keep:], tally


def om_families():
    """(OpenMetrics family name, type, help) in the order the files are written."""
    seen, out = set(), []
    for fam in TEMPLATE:
        if fam.om_name not in seen:
            seen.add(fam.om_name)
            out.append((fam.om_name, fam.type, fam.help))
    out.extend(TARGET_FAMILIES)
    return out


def family_header(name, mtype, help_text):
    escaped = help_text.replace("\\", "\\\\").replace("\n", "\\n")
    return "# HELP %s %s\n# TYPE %s %s\n" % (name, escaped, name, mtype)


def write_parts(fleet, host_indices, t0, t1, part_paths, tails_path=None):
    """Writes the given hosts' samples with times in [t0, t1) into one file per family
    (part_paths, in om_families() order), without headers. tails_path keeps the hosts' recent
    history from one window to the next (it must then be called for contiguous windows), so
    that a short window does not compute the 15 minutes before it again."""
    fams = om_families()
    index = {name: i for i, (name, _, _) in enumerate(fams)}
    until, tails = None, {}
    if tails_path and os.path.exists(tails_path):
        with open(tails_path, "rb") as f:
            until, tails = pickle.load(f)
    if until != t0:  # not the window right before this one
        tails = {}
    files = [open(p, "w") for p in part_paths]
    try:
        for i in host_indices:
            host = fleet.hosts[i]
            k0, k1 = step_range(fleet, host, t0, t1)
            tails[i] = HostWriter(host).write(k0, k1, files, index, tails.get(i))
    finally:
        for f in files:
            f.close()
    if tails_path:
        with open(tails_path, "wb") as f:
            pickle.dump((t1, tails), f)


def step_range(fleet, host, t0, t1):
    """Steps of host whose times are in [t0, t1)."""
    first = max(0, -(-(t0 - fleet.start - host.offset) // fleet.interval))
    last = max(0, -(-(t1 - fleet.start - host.offset) // fleet.interval))
    return first, min(last, fleet.steps())


def write_openmetrics(fleet, out, t0=None, t1=None):
    """The whole fleet's samples with times in [t0, t1) as one OpenMetrics document."""
    import io
    t0 = fleet.start if t0 is None else t0
    t1 = fleet.end if t1 is None else t1
    fams = om_families()
    index = {name: i for i, (name, _, _) in enumerate(fams)}
    bufs = [io.StringIO() for _ in fams]
    for host in fleet.hosts:
        k0, k1 = step_range(fleet, host, t0, t1)
        HostWriter(host).write(k0, k1, bufs, index)
    for (name, mtype, help_text), buf in zip(fams, bufs):
        out.write(family_header(name, mtype, help_text))
        out.write(buf.getvalue())
    out.write("# EOF\n")


# -- checks ----------------------------------------------------------------------------------

def expected_series(host):
    """Series Prometheus holds for the host: the exporter's, and the five of its scrape."""
    return len(host.series) + len(TARGET_FAMILIES)


def compare_with_exposition(text, what, jvm):
    """Differences between the series of an exposition (metrics.txt, or a live scrape when jvm)
    and what the generator writes for a host of the same shape, and the number of series."""
    fams = parse_exposition(text)
    jvm_names = {name for name, _, _, _ in JVM_FAMILIES}
    nics = sorted({l["device"] for f in fams if f.name == "sysload_nic_irq_cpus" for _, l in f.samples})
    disks = sorted({l["device"] for f in fams if f.name == "sysload_io_util" for _, l in f.samples})
    si = [l["device"] for f in fams if f.name == "sysload_candidate_percent"
          for _, l in f.samples if l.get("resource") == "si_cpu"]
    gen = [s for s in exporter_series(nics, disks, si[0] if si else "") if jvm or s[0].name not in jvm_names]
    errors = []
    got_meta = {f.name: (f.type, f.help) for f in fams}
    gen_meta = {f.name: (f.type, f.help) for f, _, _ in gen}
    for name in sorted(set(got_meta) | set(gen_meta)):
        if name not in gen_meta:
            errors.append("%s has family %s, the generator does not" % (what, name))
        elif name not in got_meta:
            errors.append("the generator writes family %s, %s has not" % (name, what))
        elif got_meta[name] != gen_meta[name]:
            errors.append("family %s: %s says %s, the generator %s" % (name, what, got_meta[name], gen_meta[name]))

    def keyset(items):
        return {series_key(n, {k: ("*" if k in ("version", "javaversion") else v) for k, v in l.items()})
                for n, l in items}

    got = keyset((n, l) for f in fams for n, l in f.samples)
    want = keyset((n, l) for _, n, l in gen)
    for k in sorted(got - want):
        errors.append("%s has series %s, the generator does not" % (what, k))
    for k in sorted(want - got):
        errors.append("the generator writes series %s, %s has not" % (k, what))
    return errors, len(got)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, default=MIN_HOSTS)
    ap.add_argument("--hours", type=float, default=1)
    ap.add_argument("--interval", type=int, default=15, help="scrape interval, seconds")
    ap.add_argument("--start", type=int, default=DEFAULT_START, help="Unix time of the range's start")
    ap.add_argument("--check-e2e", action="store_true",
                    help="only compare the generator's series for the e2e host with metrics.txt")
    args = ap.parse_args()
    if args.check_e2e:
        with open(E2E_METRICS) as f:
            errors, n = compare_with_exposition(f.read(), "metrics.txt", jvm=False)
        if errors:
            sys.exit("\n".join(errors))
        print("ok   the generator's series for the e2e host equal metrics.txt's %d" % n)
        return
    fleet = Fleet(args.hosts, args.start, args.hours, args.interval)
    write_openmetrics(fleet, sys.stdout)


if __name__ == "__main__":
    main()
