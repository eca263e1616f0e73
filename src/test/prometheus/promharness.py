"""Process and Prometheus plumbing shared by the tests of this directory.

Python 3 standard library only. Everything listens on 127.0.0.1 on ports picked free at
start, every process runs in its own session so that it and its children can be ended by
its process-group id, and everything started or written is removed on exit, on a timeout,
on Ctrl-C and on SIGTERM.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

LOOPBACK = "127.0.0.1"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ALERT_RULES = os.path.join(REPO, "dashboards", "sysload-alerts.yml")
DASHBOARD = os.path.join(REPO, "dashboards", "sysload.json")
PROMETHEUS = os.environ.get("PROMETHEUS", "/usr/bin/prometheus")
PROMTOOL = os.environ.get("PROMTOOL", "/usr/bin/promtool")
NODE_EXPORTER = os.environ.get("NODE_EXPORTER", "/usr/bin/prometheus-node-exporter")
JAVA = os.environ.get("JAVA", "java")


class TestFailure(Exception):
    """A check failed; the message says which and why."""


class Deadline(Exception):
    """The whole run took longer than its bound."""


def log(msg):
    print(msg, flush=True)


def free_port():
    """A port free on 127.0.0.1 right now (the caller retries if it is taken meanwhile)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def http_get(url, timeout=5.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read().decode("utf-8", "replace")


class Harness:
    """Owns a temporary directory and the processes started in it; use with `with`."""

    def __init__(self, name, time_limit):
        self.name = name
        self.time_limit = time_limit
        self.procs = []  # (name, Popen, log path)
        self.tmp = None
        self.extra_dirs = []
        self._old_handlers = {}

    # -- lifetime -------------------------------------------------------------------------

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="sysload-%s-" % self.name)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            self._old_handlers[sig] = signal.signal(sig, self._on_signal)
        self._old_handlers[signal.SIGALRM] = signal.signal(signal.SIGALRM, self._on_alarm)
        signal.alarm(self.time_limit)
        return self

    def __exit__(self, exc_type, exc, tb):
        signal.alarm(0)
        # A second Ctrl-C or SIGTERM must not cut the clean-up short.
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        if exc_type is not None and exc_type is not SystemExit:
            self.dump_logs()
        self.stop_all()
        for d in [self.tmp] + self.extra_dirs:
            if d:
                shutil.rmtree(d, ignore_errors=True)
        for sig, handler in self._old_handlers.items():
            signal.signal(sig, handler)
        return False

    def _on_signal(self, signum, frame):
        raise SystemExit("interrupted by signal %d" % signum)

    def _on_alarm(self, signum, frame):
        raise Deadline("gave up after %d s (the bound of this test)" % self.time_limit)

    def temp_dir_in(self, parent):
        """A temporary directory under parent, removed with everything else at the end."""
        d = tempfile.mkdtemp(prefix="sysload-%s-" % self.name, dir=parent)
        self.extra_dirs.append(d)
        return d

    # -- processes ------------------------------------------------------------------------

    def spawn(self, name, argv, cwd=None):
        path = os.path.join(self.tmp, name + ".log")
        out = open(path, "wb")
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 cwd=cwd or self.tmp, start_new_session=True)
        finally:
            out.close()
        self.procs.append((name, p, path))
        return p

    def stop(self, p, grace=5.0):
        """SIGTERM the process group of p (p is its leader), then SIGKILL what is left."""
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Children may outlive the leader (stress-ng workers): end the whole group.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            log("warning: process %d did not exit after SIGKILL" % p.pid)

    def stop_all(self):
        for name, p, _ in reversed(self.procs):
            self.stop(p)

    def log_tail(self, name, lines=15):
        for n, _, path in self.procs:
            if n == name:
                try:
                    with open(path, "rb") as f:
                        return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
                except OSError:
                    return ""
        return ""

    def dump_logs(self):
        for name, p, _ in self.procs:
            tail = self.log_tail(name)
            if tail:
                log("---- last lines of %s (pid %d, exit %s) ----\n%s" % (name, p.pid, p.poll(), tail))

    def wait_until(self, what, check, timeout, proc=None, interval=0.5):
        """Polls check() until it returns a true value; fails if proc dies or time runs out."""
        end = time.monotonic() + timeout
        last_err = None
        while time.monotonic() < end:
            if proc is not None and proc.poll() is not None:
                raise TestFailure("%s: the process exited with status %s" % (what, proc.returncode))
            try:
                v = check()
                if v:
                    return v
            except (OSError, urllib.error.URLError, ValueError, TestFailure) as e:
                last_err = e
            time.sleep(interval)
        raise TestFailure("%s: not within %d s (last error: %s)" % (what, timeout, last_err))

    def start_listener(self, name, make_argv, ready_path, ready_check, timeout=30, attempts=3):
        """Starts a server on a free loopback port, retrying with a new port if the port was
        taken between choosing and binding. Returns (Popen, port)."""
        for attempt in range(1, attempts + 1):
            port = free_port()
            p = self.spawn(name, make_argv(port))
            url = "http://%s:%d%s" % (LOOPBACK, port, ready_path)

            def check():
                status, body = http_get(url)
                return status == 200 and ready_check(body)

            try:
                self.wait_until("%s on %s:%d" % (name, LOOPBACK, port), check, timeout, proc=p)
            except TestFailure:
                if p.poll() is not None and attempt < attempts:
                    log("%s exited (%s); retrying on another port" % (name, self.log_tail(name, 1)))
                    self.stop(p)
                    continue
                raise
            # Answered, and still ours: a foreign server on the same port would have made ours exit.
            time.sleep(0.3)
            if p.poll() is not None:
                if attempt < attempts:
                    continue
                raise TestFailure("%s exited right after answering: %s" % (name, self.log_tail(name)))
            return p, port
        raise TestFailure("could not start %s" % name)

    # -- the three servers ----------------------------------------------------------------

    def start_exporter(self, jar):
        def argv(port):
            return [JAVA, "-jar", jar, "--web.listen-address=%s:%d" % (LOOPBACK, port)]

        # Ready once the first sample is published (sysload_sysload appears after two reads).
        return self.start_listener("sysload-exporter", argv, "/metrics",
                                   lambda body: "\nsysload_sysload " in body, timeout=40)

    def start_node_exporter(self):
        def argv(port):
            # Only what the cross-check compares: CPU time and disk I/O time.
            return [NODE_EXPORTER, "--web.listen-address=%s:%d" % (LOOPBACK, port),
                    "--collector.disable-defaults", "--collector.cpu", "--collector.diskstats"]

        return self.start_listener("node-exporter", argv, "/metrics",
                                   lambda body: "node_cpu_seconds_total" in body)

    def start_prometheus(self, targets):
        """targets: {job name: "127.0.0.1:port"}. Scrapes and evaluates rules every second."""
        cfg = os.path.join(self.tmp, "prometheus.yml")
        lines = [
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - %s" % json.dumps(ALERT_RULES),
            "scrape_configs:",
        ]
        for job, target in targets.items():
            lines += ["  - job_name: %s" % json.dumps(job),
                      "    static_configs:",
                      "      - targets: [%s]" % json.dumps(target)]
        with open(cfg, "w") as f:
            f.write("\n".join(lines) + "\n")
        data = os.path.join(self.tmp, "tsdb")

        def argv(port):
            return [PROMETHEUS, "--config.file=" + cfg, "--storage.tsdb.path=" + data,
                    "--web.listen-address=%s:%d" % (LOOPBACK, port), "--storage.tsdb.retention.time=1h",
                    "--log.level=warn"]

        p, port = self.start_listener("prometheus", argv, "/-/ready", lambda body: True, timeout=60)
        return p, Prometheus("http://%s:%d" % (LOOPBACK, port))


class Prometheus:
    """The few HTTP API calls the tests need."""

    def __init__(self, base):
        self.base = base

    def api(self, path, params):
        url = "%s/api/v1/%s?%s" % (self.base, path, urllib.parse.urlencode(params, doseq=True))
        try:
            with urllib.request.urlopen(url, timeout=20) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                body = json.load(e)
            except ValueError:
                raise TestFailure("%s: HTTP %d" % (url, e.code))
        if body.get("status") != "success":
            raise TestFailure("%s: %s: %s" % (params, body.get("errorType"), body.get("error")))
        return body["data"]

    def query(self, expr, at=None):
        """Instant query; returns the vector (or [time, value] for scalars) as parsed JSON."""
        params = {"query": expr}
        if at is not None:
            params["time"] = "%.3f" % at
        data = self.api("query", params)
        return data["resultType"], data["result"]

    def value(self, expr, at=None):
        """The single number an expression returns; fails if it returns no or several series."""
        kind, result = self.query(expr, at)
        if kind == "scalar":
            return float(result[1])
        if kind != "vector" or len(result) != 1:
            raise TestFailure("expected one series from %s, got %s %s" % (expr, kind, result))
        return float(result[0]["value"][1])

    def label_values(self, label, match):
        return self.api("label/%s/values" % urllib.parse.quote(label), {"match[]": [match]})


def jar_from_args(argv):
    jar = argv[1] if len(argv) > 1 else os.path.join(REPO, "target", "sysload-exporter.jar")
    jar = os.path.abspath(jar)
    if not os.path.isfile(jar):
        sys.exit("no exporter jar at %s: build it first (mvn -B -q package -DskipTests) or pass its path" % jar)
    return jar


def require_executables(*paths):
    missing = [p for p in paths if shutil.which(p) is None]
    if missing:
        sys.exit("missing %s (Debian packages: prometheus, prometheus-node-exporter, stress-ng)"
                 % ", ".join(missing))


def run_promtool(rule_files, test_files):
    """promtool check rules on rule_files, then promtool test rules on test_files (the rules'
    unit tests); fails with promtool's output."""
    for argv in ([PROMTOOL, "check", "rules"] + list(rule_files), [PROMTOOL, "test", "rules"] + list(test_files)):
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        out = r.stdout.decode("utf-8", "replace").strip()
        if r.returncode != 0:
            raise TestFailure("%s failed:\n%s" % (" ".join(argv[:3]), out))
        log("ok   %s: %s" % (" ".join(argv[1:3]), out.splitlines()[-1].strip()))


def run_test(main):
    """Runs a test's main: a failure or the deadline is one FAIL line and exit status 1."""
    try:
        main()
    except (TestFailure, Deadline) as e:
        log("FAIL %s" % e)
        sys.exit(1)
