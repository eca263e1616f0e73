#!/usr/bin/env python3
"""Hostile TCP clients against the exporter and its peers, side by side.

While a well-behaved scraper asks for /metrics every 0.5 s with a 10 s timeout (Prometheus's
default; it keeps its connection alive as Prometheus does, and opens a new one after a failed
scrape), hostile clients try to take the target away from it. Each round is run against each
target in turn, alone (so that the targets do not share the CPU or the file descriptors of
10,000 sockets), and printed as one markdown table with a row per target.

    src/test/perf/hostile-clients.py [--seconds 15] [--pause 5] [--tls] [--assert] ...

Rounds (each held for --seconds; a hostile connection that the server closes is opened again):

  half4       4 clients send half a request ("GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n", never
              the blank line that ends it) and then nothing.
  half64      the same with 64 clients.
  slow1000    1,000 (--clients) half requests that send one more header byte every 2 s.
  silent1000  1,000 (--clients) connections that send nothing.
  tls1000     (TLS targets) 1,000 (--clients) TLS handshakes begun with a real ClientHello and
              never finished.
  auth16      (basic-auth targets) 16 threads send full requests with wrong passwords as fast
              as the target answers them, a new password each time; the target's CPU use over
              the round is reported.
  flood10000  10,000 (--flood) silent connections attempted and held; after they are closed,
              how long until a scrape is answered again (goal: 10 s), and whether the target
              still runs.

Against a TLS target the half and slow requests are sent inside TLS (handshake first): plain
bytes on a TLS port are only turned away at once. Connects that fail (refused, 3 s timeout) are
counted and tried again after a short pause; all clients together reconnect at most
--reconnect-rate times a second (default 1000), so that this script stays well below one core.

The round's clock starts once every hostile client has made its first attempt; the scrape still
in flight when its time is up is waited for (up to its 10 s) with the attack still on, so that
a scrape the attack holds up times out rather than being answered because the attack ended.
After flood10000 each try is on a new connection: one kept from before the flood tells nothing
about whether the target takes new ones again.

Per target and round: scrapes answered (HTTP 200 with the target's sample in the body, within
10 s) of those attempted, p50/p99/max latency of the answered ones, how many hostile
connections were open (connected, as the clients see it) at the end, and the target's resident
memory (VmRSS) when idle before the round, its peak during and at the end (sampled every
0.1 s); the target's CPU use over the round (utime + stime of /proc/PID/stat) is shown for
auth16 and kept in --json for all. Before the first round each target is scraped for --warmup
seconds (default 5). After each round the target is left alone for --pause seconds. --settle SECONDS waits that long after the last
round and reports the resident memory again (goal: within 5 MB of idle two minutes after an
attack, --settle 120).

Targets:

  --exporter-jar JAR   (default target/sysload-exporter.jar of this checkout) started as the
                       package starts it: debian/sysload-exporter.launcher with the package's
                       JVM flags and a class-data archive dumped by debian/'s dump script
                       (--no-cds: none; --java-home DIR: that JDK, and no archive, as the
                       launcher uses one only with the default java). --no-exporter: not started.
  --node-exporter PATH (default /usr/bin/prometheus-node-exporter when installed;
                       --no-node-exporter: skipped) Debian's node_exporter, cheap collectors only.
  --go-exporter PATH   the Go sysload exporter (plain HTTP always).
  --target URL --pid PID [--name NAME] [--expect TEXT]
                       an exporter already running (a package test's service), attacked on URL,
                       measured through PID (as this host sees it). https enables tls1000 (no
                       certificate check); user:password@ in the URL (percent-encoded) is the
                       scraper's password and enables auth16. When given, the jar is not started
                       unless --exporter-jar is given too.

--tls gives the started exporter and node_exporter a web config file (exporter-toolkit's) with
a self-signed certificate for 127.0.0.1 and a bcrypt password; the scraper then uses https and
the right password, and tls1000 and auth16 run. Without --tls they are skipped.

--assert: exit 1 unless, for the exporter (started or --target), every scrape of every round
was answered, with p99 <= 100 ms (--max-p99 MS), a resident peak at most 32 MB above idle
(--max-growth MB), a scrape answered within 10 s after flood10000 and the process alive (and,
with --settle, resident memory back within 5 MB of its idle before the first round); one line
per failed goal. The two options loosen the goals where the machine is not the one they are
for (the package test on CI's shared 2-core machine: --max-p99 1000 --max-growth 48). Without
--assert the exit status is 0 whenever the measurement ran. --json FILE writes every figure.

All traffic stays on 127.0.0.1. Every loop is bounded; everything started is stopped on exit,
on Ctrl-C and on SIGTERM. Python 3.11 standard library only (Debian 12's python3 runs it); needs
openssl and one of htpasswd (apache2-utils), python3-bcrypt or the exporter jar for --tls.
"""

import argparse
import asyncio
import base64
import collections
import ctypes
import errno
import gzip
import json
import math
import os
import random
import resource
import secrets
import select
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
LOOPBACK = "127.0.0.1"
SCRAPE_INTERVAL = 0.5
SCRAPE_TIMEOUT = 10.0
# A connect that the target does not complete in this time is counted as failed and tried again
# (a full accept queue drops SYNs, and Linux retries them only after 1 s, then 3 s).
CONNECT_TIMEOUT = 3.0
# The file descriptors the load process needs beyond one per hostile socket.
FD_RESERVE = 64
# Goals of --assert (the defaults of --max-p99 and --max-growth for the first two).
GOAL_P99_MS = 100.0
GOAL_PEAK_MB = 32.0
GOAL_RECOVERY_S = 10.0
GOAL_SETTLE_MB = 5.0
# How long after flood10000 a scrape is tried for before the target is called unreachable.
RECOVERY_LIMIT_S = 60.0

HALF_REQUEST = b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
SLOW_REQUEST = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-a: "
SLOW_INTERVAL = 2.0
# What Prometheus 2.x sends: OpenMetrics preferred, gzip accepted, its timeout announced.
SCRAPE_HEADERS = {
    "Accept": "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
              "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
    "Accept-Encoding": "gzip",
    "User-Agent": "hostile-clients-scraper",
    "X-Prometheus-Scrape-Timeout-Seconds": "%g" % SCRAPE_TIMEOUT,
}


def log(msg):
    print("hostile-clients: " + msg, file=sys.stderr, flush=True)


class Fatal(Exception):
    """A setup failure: printed as one line, exit status 2."""


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP: stop everything and exit with 128 + the signal."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


# ---------------------------------------------------------------------------------------------
# A small HTTP/1.1 client with one deadline for the whole exchange (connect, TLS handshake,
# request, response): http.client applies its timeout to each socket operation, so a server
# that trickles bytes could hold a scrape far beyond 10 s. Used by the scraper and by auth16.


class HttpError(Exception):
    pass


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


class HttpClient:
    def __init__(self, url, ssl_context=None, keep_alive=True):
        u = urllib.parse.urlsplit(url)
        self.tls = u.scheme == "https"
        self.host = u.hostname
        self.port = u.port or (443 if self.tls else 80)
        self.path = (u.path or "/") + ("?" + u.query if u.query else "")
        self.ssl_context = ssl_context if self.tls else None
        self.keep_alive = keep_alive
        self.sock = None
        self.local_port = None

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None
        self.local_port = None

    def request(self, headers, timeout):
        """Sends GET, returns the Response; raises TimeoutError, OSError or HttpError."""
        deadline = time.monotonic() + timeout
        reused = self.sock is not None
        try:
            return self._exchange(headers, deadline)
        except (HttpError, ConnectionError) as e:
            # A kept-alive connection the server closed while idle: one more try on a new
            # one, within the same deadline, as Go's HTTP client (Prometheus's) does.
            self.close()
            if reused and isinstance(e, ConnectionError) and time.monotonic() < deadline:
                try:
                    return self._exchange(headers, deadline)
                except BaseException:
                    self.close()
                    raise
            raise
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _left(deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        return left

    def _exchange(self, headers, deadline):
        if self.sock is None:
            sock = socket.create_connection((self.host, self.port), timeout=self._left(deadline))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.local_port = sock.getsockname()[1]
            if self.ssl_context is not None:
                sock = self.ssl_context.wrap_socket(sock, server_hostname=self.host,
                                                    do_handshake_on_connect=False)
                # CPython bounds the whole handshake by the socket's timeout, not each read.
                sock.settimeout(self._left(deadline))
                sock.do_handshake()
            self.sock = sock
        sock = self.sock
        lines = ["GET %s HTTP/1.1" % self.path, "Host: %s:%d" % (self.host, self.port)]
        lines += ["%s: %s" % kv for kv in headers.items()]
        if not self.keep_alive:
            lines.append("Connection: close")
        sock.settimeout(self._left(deadline))
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

        buf = bytearray()
        answered = []  # whether any byte of a response came: a close before that may be retried

        def fill():
            sock.settimeout(self._left(deadline))
            chunk = sock.recv(65536)
            if not chunk:
                if not answered:
                    raise ConnectionResetError("closed by the server")
                raise HttpError("response cut short")
            answered.append(True)
            buf.extend(chunk)

        while b"\r\n\r\n" not in buf:
            if len(buf) > 65536:
                raise HttpError("response head too long")
            fill()
        end = buf.index(b"\r\n\r\n")
        head = bytes(buf[:end]).decode("latin-1").split("\r\n")
        del buf[:end + 4]
        parts = head[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise HttpError("not an HTTP response: %r" % head[0][:60])
        version, status = parts[0], int(parts[1])
        hdrs = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            hdrs[name.strip().lower()] = value.strip()
        keep = self.keep_alive and version == "HTTP/1.1" and hdrs.get("connection", "").lower() != "close"
        if "chunked" in hdrs.get("transfer-encoding", "").lower():
            body = bytearray()
            while True:
                while b"\r\n" not in buf:
                    fill()
                line_end = buf.index(b"\r\n")
                size = int(bytes(buf[:line_end]).split(b";")[0], 16)
                del buf[:line_end + 2]
                if size == 0:
                    while not (buf.startswith(b"\r\n") or b"\r\n\r\n" in buf):
                        fill()
                    break
                while len(buf) < size + 2:
                    fill()
                body += buf[:size]
                del buf[:size + 2]
        elif "content-length" in hdrs:
            length = int(hdrs["content-length"])
            while len(buf) < length:
                fill()
            body = buf[:length]
        else:
            # No length: the body ends when the server closes.
            keep = False
            try:
                while True:
                    fill()
            except HttpError:
                pass
            body = buf
        body = bytes(body)
        if hdrs.get("content-encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        if not keep:
            self.close()
        return Response(status, hdrs, body)


def error_kind(exc):
    """A short name for why a request failed, for the notes."""
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError):
        return "reset"
    if isinstance(exc, ssl.SSLError):
        return "tls"
    if isinstance(exc, HttpError):
        return "bad response"
    if isinstance(exc, OSError) and exc.errno in errno.errorcode:
        return errno.errorcode[exc.errno]
    return type(exc).__name__


def basic_auth(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def insecure_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


# ---------------------------------------------------------------------------------------------
# The load process: the hostile clients of one round against one target, in a process of their
# own so that thousands of sockets on its event loop neither delay the scraper's measurement
# (the GIL) nor count in it. It reads a JSON spec on stdin, prints "ready", runs until it reads
# "stop" (or stdin closes, or its time is up), closes every socket and prints its figures as JSON.


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return soft, hard


def client_hello(ctx):
    """The bytes of a real TLS ClientHello, from a handshake that is never continued."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class Hostile:
    """One hostile client, driven by callbacks on the event loop (no task, transport or future of
    its own): 10,000 of them and their reconnects then cost this process less than half of what
    asyncio's protocols and tasks did, and this process shares the CPUs with the target."""

    __slots__ = ("pool", "sock", "fd", "timer", "first", "connected", "replied", "tls", "tls_in", "tls_out",
                 "in_handshake")

    def __init__(self, pool):
        self.pool = pool
        self.sock = None
        self.timer = None
        self.first = True  # its first attempt is not over yet
        self.connected = False
        self.replied = False
        self.tls = None  # for a half request inside TLS: the handshake's state, in memory
        self.in_handshake = False

    def connect(self):
        pool = self.pool
        if pool.stopping:
            return
        pool.stats["attempts"] += 1
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError as e:  # EMFILE, ENFILE, ENOBUFS
            self._failed(e.errno)
            return
        sock.setblocking(False)
        self.sock, self.fd = sock, sock.fileno()
        err = sock.connect_ex((LOOPBACK, pool.port))
        if err == 0:
            self._connected()
        elif err == errno.EINPROGRESS:
            pool.loop.add_writer(self.fd, self._connect_done)
            self.timer = pool.loop.call_later(CONNECT_TIMEOUT, self._connect_timeout)
        else:
            self._failed(err)

    def _connect_done(self):
        self.pool.loop.remove_writer(self.fd)
        self.timer.cancel()
        err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            self._failed(err)
        else:
            self._connected()

    def _connect_timeout(self):
        self.pool.loop.remove_writer(self.fd)
        self._failed("timeout")

    def _failed(self, err):
        stats = self.pool.stats
        name = err if isinstance(err, str) else ("refused" if err == errno.ECONNREFUSED
                                                 else errno.errorcode.get(err, "error"))
        stats["connect_" + name] += 1
        self._close()
        self._first_done()
        self.pool.reconnect_later(self)

    def _connected(self):
        pool, stats = self.pool, self.pool.stats
        self.connected, self.replied = True, False
        stats["connected"] += 1
        stats["open"] += 1
        stats["peak_open"] = max(stats["peak_open"], stats["open"])
        pool.loop.add_reader(self.fd, self._readable)
        if pool.tls_inside:
            # An HTTP request to a TLS port goes inside TLS: the handshake first (plain bytes
            # would only be turned away at once).
            self.tls_in, self.tls_out = ssl.MemoryBIO(), ssl.MemoryBIO()
            self.tls = pool.tls_ctx.wrap_bio(self.tls_in, self.tls_out, server_hostname="localhost")
            self.in_handshake = True
            self._handshake()
        else:
            self._begin()

    def _begin(self):
        """Sends the first bytes of the round's kind; from now on the client is in place."""
        first = self.pool.first_bytes()
        if first:
            self._send(first)
        if self.pool.kind == "slow":
            self.timer = self.pool.loop.call_later(SLOW_INTERVAL, self._trickle)
        self._first_done()

    def _send(self, data):
        if self.tls is not None:
            self.tls.write(data)
            data = self.tls_out.read()
        try:
            self.sock.send(data)  # a few hundred bytes: the socket's buffer takes them
        except OSError:
            pass  # the reader sees the close

    def _handshake(self):
        try:
            self.tls.do_handshake()
            done = True
        except ssl.SSLWantReadError:
            done = False
        except ssl.SSLError:
            self.pool.stats["tls_handshake_failed"] += 1
            done = None
        out = self.tls_out.read()
        if out:
            try:
                self.sock.send(out)
            except OSError:
                pass
        if done is not False:
            self.in_handshake = False
        if done:
            self.pool.stats["tls_handshakes"] += 1
            self._begin()

    def _trickle(self):
        self._send(b"a")
        self.pool.stats["slow_bytes"] += 1
        self.timer = self.pool.loop.call_later(SLOW_INTERVAL, self._trickle)

    def _readable(self):
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            if self.tls is not None:
                self.tls_in.write(data)
                if self.in_handshake:
                    self._handshake()
                    return
                try:
                    data = self.tls.read(65536)
                except (ssl.SSLWantReadError, ssl.SSLError):
                    return
            # A server may answer a half request (408, 400) before it closes it.
            if not self.replied and data.startswith(b"HTTP/"):
                self.pool.stats["http_replies"] += 1
            self.replied = True
            return
        self.pool.stats["closed_by_server"] += 1
        self._close()
        self._first_done()
        self.pool.reconnect_later(self)

    def _first_done(self):
        if self.first:
            self.first = False
            self.pool.first_done()

    def _close(self, reset=False):
        if self.sock is None:
            return
        loop = self.pool.loop
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.connected:
            loop.remove_reader(self.fd)
            self.connected = False
            self.pool.stats["open"] -= 1
        self.tls = self.tls_in = self.tls_out = None
        if reset:
            # 10,000 normal closes would leave as many TIME_WAIT sockets holding the
            # loopback's ephemeral ports into the next round.
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self.sock.close()
        self.sock = None

    def stop(self):
        if self.sock is not None and not self.connected:
            self.pool.loop.remove_writer(self.fd)  # a connect in progress
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self._close(reset=True)


class HostilePool:
    """The clients of one round: what they share (counts, the pace of reconnects)."""

    def __init__(self, loop, spec, stats):
        self.loop, self.stats = loop, stats
        self.kind, self.port, self.count = spec["kind"], spec["port"], spec["clients"]
        self.interval = 1.0 / spec["reconnect_rate"]
        self.next_slot = 0.0
        self.stopping = False
        self.tried = 0
        self.all_tried = loop.create_future()
        self.tls_inside = spec.get("tls", False) and self.kind in ("half", "slow")
        self.tls_ctx = insecure_context() if self.kind == "tls" or self.tls_inside else None

    def first_bytes(self):
        if self.kind == "half":
            return HALF_REQUEST
        if self.kind == "slow":
            return SLOW_REQUEST
        if self.kind == "tls":
            return client_hello(self.tls_ctx)  # a new key share each time, as a real client's
        return b""

    def first_done(self):
        self.tried += 1
        if self.tried == self.count and not self.all_tried.done():
            self.all_tried.set_result(None)

    def reconnect_later(self, client):
        """After a jittered pause (clients closed together do not come back together), and all
        clients together at most reconnect_rate a second: a server that closes connections at
        once (a cap on them) must not make this process spin."""
        if self.stopping:
            return
        slot = max(self.loop.time() + random.uniform(0.25, 0.75), self.next_slot)
        self.next_slot = slot + self.interval
        self.loop.call_at(slot, client.connect)


async def hold_connections(spec, stats):
    """half, slow, silent, tls and flood rounds: spec["clients"] connections held until stopped."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    stop = loop.create_future()
    stdin_buf = bytearray()

    def on_stdin():
        try:
            data = os.read(0, 4096)
        except OSError:
            data = b""
        stdin_buf.extend(data)
        # "stop", or stdin closed because the main process is gone.
        if (not data or b"\n" in stdin_buf) and not stop.done():
            stop.set_result(None)

    loop.add_reader(0, on_stdin)
    pool = HostilePool(loop, spec, stats)
    clients = [Hostile(pool) for _ in range(pool.count)]
    for c in clients:
        c.connect()
    # The round begins once every client has made its first attempt (connected and sent its
    # first bytes, or failed), so that the first scrapes meet the whole attack; bounded, as a
    # connect that hangs fails after CONNECT_TIMEOUT.
    await asyncio.wait([pool.all_tried, stop], timeout=CONNECT_TIMEOUT + 2, return_when=asyncio.FIRST_COMPLETED)
    stats["first_tries_s"] = round(loop.time() - started, 2)
    os.write(1, b"ready\n")
    await asyncio.wait([stop], timeout=spec["max_seconds"])
    if not stop.done():
        stats["stopped_by_own_deadline"] = 1
    stats["open_at_end"] = stats["open"]
    pool.stopping = True
    for c in clients:
        c.stop()
    loop.remove_reader(0)
    report(stats)


def wrong_passwords(spec, stats):
    """auth16: threads sending full requests with wrong passwords, each a new one (a repeated
    one would be answered from the exporter's cache of checked passwords, costing it nothing)."""
    stop = threading.Event()
    per_thread = [collections.Counter() for _ in range(spec["clients"])]

    def run(i, counts):
        client = HttpClient(spec["url"], insecure_context())
        n = 0
        while not stop.is_set():
            n += 1
            headers = {"Authorization": basic_auth(spec["user"], "wrong-%d-%d-%s" % (i, n, secrets.token_hex(4)))}
            try:
                response = client.request(headers, SCRAPE_TIMEOUT)
                counts["status_%d" % response.status] += 1
            except Exception as e:  # counted; the next request opens a new connection
                counts["error_" + error_kind(e)] += 1
                stop.wait(0.1)
        client.close()

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(per_thread)]
    for t in threads:
        t.start()
    os.write(1, b"ready\n")
    # Until "stop" or EOF on stdin, or the time is up.
    ready, _, _ = select.select([0], [], [], spec["max_seconds"])
    if not ready:
        stats["stopped_by_own_deadline"] = 1
    stop.set()
    for t in threads:
        t.join(SCRAPE_TIMEOUT + 2)
    for c in per_thread:
        stats.update(c)
    stats["requests"] = sum(v for k, v in stats.items() if k.startswith(("status_", "error_")))
    report(stats)


def report(stats):
    """The load process's figures, its own CPU use among them, as one line of JSON."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 3)
    stats["cpu_user_s"] = round(usage.ru_utime, 3)
    stats["life_s"] = round(time.monotonic() - LOAD_STARTED, 3)
    os.write(1, (json.dumps(dict(stats)) + "\n").encode())


LOAD_STARTED = time.monotonic()


def load_process():
    # Ctrl-C reaches the whole process group; the main process stops this one itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise_nofile()
    line = bytearray()
    while not line.endswith(b"\n"):
        chunk = os.read(0, 65536)
        if not chunk:
            return
        line.extend(chunk)
    spec = json.loads(line)
    stats = collections.Counter(open=0, peak_open=0, open_at_end=0)
    if spec["kind"] == "auth":
        wrong_passwords(spec, stats)
    else:
        asyncio.run(hold_connections(spec, stats))


class LoadChild:
    """The main process's handle on a load process."""

    def __init__(self, spec):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--load-process"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.buf = bytearray()
        try:
            self.proc.stdin.write((json.dumps(spec) + "\n").encode())
            self.proc.stdin.flush()
            if self._line(30) != "ready":
                raise Fatal("the load process did not start")
        except BaseException:
            self.kill()
            raise

    def _line(self, timeout):
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self.buf.extend(chunk)
        i = self.buf.index(b"\n")
        line = bytes(self.buf[:i]).decode()
        del self.buf[:i + 1]
        return line

    def stop(self):
        """Stops the clients (their sockets closed), returns their figures."""
        try:
            self.proc.stdin.write(b"stop\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        line = self._line(SCRAPE_TIMEOUT + 20)
        self.kill()
        return json.loads(line) if line else {"load_process_failed": 1}

    def kill(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(2)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# Processes: /proc figures, starting and stopping the targets.

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_stat(pid):
    """(utime + stime in ticks, start time in ticks) of PID, or None if it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # fields[0] is field 3 of proc(5): utime is 14, stime 15, starttime 22.
    return int(fields[11]) + int(fields[12]), int(fields[19])


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def established_on(port, exclude_port=None):
    """Connections the kernel has established to PORT on the server's side (accepted or
    waiting to be), whatever the clients believe; both address families (Java listens on an
    IPv6 socket that takes IPv4 too)."""
    count = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    parts = line.split(None, 4)
                    if parts[3] != "01":
                        continue
                    if int(parts[1].rsplit(":", 1)[1], 16) == port:
                        if exclude_port is None or int(parts[2].rsplit(":", 1)[1], 16) != exclude_port:
                            count += 1
        except OSError:
            pass
    return count


def set_pdeathsig():
    """In a started target, before exec: SIGTERM when this script dies without cleaning up."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port(taken):
    """A loopback port nothing listens on, below the ephemeral range, so that the hostile
    clients' own ports never take it between its choice and the target's start."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind((LOOPBACK, port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise Fatal("no free loopback port")


class Target:
    def __init__(self, name, kind, url, expect, pid=None, proc=None, log_path=None,
                 ssl_context=None, user=None, password=None, note=""):
        self.name, self.kind, self.url, self.expect = name, kind, url, expect
        self.proc, self.log_path = proc, log_path
        self.pid = pid if pid is not None else proc.pid
        self.ssl_context = ssl_context
        self.user, self.password = user, password
        self.note = note
        self.port = urllib.parse.urlsplit(url).port
        self.tls = url.startswith("https:")
        stat = proc_stat(self.pid)
        self.start_time = stat[1] if stat else None
        self.idle0_mb = None  # idle before the first round, for --settle
        self.info = ""

    def alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            return False
        stat = proc_stat(self.pid)
        # The same process, not another one that got its PID.
        return stat is not None and stat[1] == self.start_time

    def auth_header(self):
        return {"Authorization": basic_auth(self.user, self.password)} if self.user else {}

    def client(self, keep_alive=True):
        return HttpClient(self.url, self.ssl_context, keep_alive)

    def scrape(self, client, timeout=SCRAPE_TIMEOUT):
        """(answered, seconds, error kind or None)."""
        t0 = time.monotonic()
        try:
            r = client.request({**SCRAPE_HEADERS, **self.auth_header()}, timeout)
        except Exception as e:
            return False, time.monotonic() - t0, error_kind(e)
        took = time.monotonic() - t0
        if r.status != 200:
            return False, took, "status %d" % r.status
        if self.expect.encode() not in r.body:
            return False, took, "no sample"
        return True, took, None

    def log_tail(self):
        if not self.log_path:
            return ""
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-20:])
        except OSError:
            return ""

    def wait_ready(self, seconds=60):
        client = self.client()
        deadline = time.monotonic() + seconds
        try:
            while True:
                if not self.alive():
                    raise Fatal("%s exited before serving; its output:\n%s" % (self.name, self.log_tail()))
                try:
                    r = client.request({**SCRAPE_HEADERS, **self.auth_header()}, 2.0)
                    if r.status == 200 and self.expect.encode() in r.body:
                        return r.body.decode("utf-8", "replace")
                except Exception:
                    client.close()
                if time.monotonic() > deadline:
                    raise Fatal("no %r from %s within %d s; its output:\n%s"
                                % (self.expect, self.url, seconds, self.log_tail()))
                time.sleep(0.2)
        finally:
            client.close()


def stop_process(proc):
    """SIGTERM, then SIGKILL if it still runs 2 s later (lib.sh's stop_process)."""
    if proc.poll() is None:
        try:
            proc.terminate()
            proc.wait(2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Runner:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="hostile-clients.")
        self.procs = []
        self.ports = set()
        self.targets = []
        self.load = None
        self.nofile_soft, self.nofile_hard = raise_nofile()
        self.tls_files = None

    def cleanup(self):
        if self.load is not None:
            self.load.kill()
        for proc in reversed(self.procs):
            stop_process(proc)
        shutil.rmtree(self.work, ignore_errors=True)

    def start(self, cmd, env, log_name):
        log_path = os.path.join(self.work, log_name)
        soft = self.nofile_soft

        def preexec():
            set_pdeathsig()
            # The limit systemd would give the service (the JVM and Go raise it themselves);
            # this script raised its own.
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

        with open(log_path, "wb") as out:
            # A session of its own: Ctrl-C does not reach it, the script stops it in order.
            proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                    start_new_session=True, preexec_fn=preexec)
        self.procs.append(proc)
        return proc, log_path

    # --- TLS and basic auth --------------------------------------------------------------------

    def bcrypt_hash(self, password):
        if shutil.which("htpasswd"):
            out = subprocess.run(["htpasswd", "-nbBC", "10", "prometheus", password],
                                 capture_output=True, text=True, check=True).stdout
            return out.strip().split(":", 1)[1]
        try:
            import bcrypt  # python3-bcrypt
            return bcrypt.hashpw(password.encode(), bcrypt.gensalt(10)).decode()
        except ImportError:
            pass
        jar = self.args.exporter_jar
        if not jar or not os.path.isfile(jar):
            raise Fatal("--tls needs htpasswd (apache2-utils), python3-bcrypt or the exporter jar for a bcrypt hash")
        src = os.path.join(self.work, "BcryptHash.java")
        with open(src, "w") as f:
            f.write("public class BcryptHash { public static void main(String[] a) { System.out.println("
                    "at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(10, a[0].toCharArray())); } }\n")
        java = os.path.join(self.args.java_home, "bin", "java") if self.args.java_home else "java"
        out = subprocess.run([java, "-cp", jar, src, password], capture_output=True, text=True, check=True).stdout
        return out.strip()

    def make_tls(self):
        cert, key = os.path.join(self.work, "cert.pem"), os.path.join(self.work, "key.pem")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise Fatal("openssl req failed: " + r.stderr.strip())
        password = secrets.token_urlsafe(18)
        web = os.path.join(self.work, "web.yml")
        with open(web, "w") as f:
            f.write("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                    "basic_auth_users:\n  prometheus: '%s'\n" % self.bcrypt_hash(password))
        ctx = ssl.create_default_context(cafile=cert)
        self.tls_files = {"web_config": web, "password": password, "context": ctx}

    def web_args(self):
        return ["--web.config.file=" + self.tls_files["web_config"]] if self.tls_files else []

    def auth_kwargs(self, scheme_tls):
        if not scheme_tls:
            return {}
        return {"ssl_context": self.tls_files["context"], "user": "prometheus", "password": self.tls_files["password"]}

    # --- the targets ---------------------------------------------------------------------------

    def start_exporter(self):
        a = self.args
        jar = os.path.abspath(a.exporter_jar)
        if not os.path.isfile(jar):
            raise Fatal("%s missing (mvn -B -q -DskipTests package)" % jar)
        env = dict(os.environ, SYSLOAD_EXPORTER_JAR=jar,
                   SYSLOAD_EXPORTER_JVM_FLAGS=os.path.join(REPO, "debian", "sysload-exporter.jvm-flags"))
        archive, note = "", ""
        if a.java_home:
            env["JAVA_HOME"] = a.java_home
            note = "JAVA_HOME=%s, no class-data archive (the launcher uses one with the default java only)" % a.java_home
        elif not a.no_cds:
            # What the package's postinst does, through the same script (lib.sh's
            # dump_cds_archives): both archives, the launcher choosing by the web config.
            for name in ("sysload-exporter", "sysload-exporter-tls"):
                r = subprocess.run(["sh", os.path.join(REPO, "debian", "sysload-exporter.dump-cds"),
                                    os.path.join(REPO, "debian", "classlists"), jar,
                                    os.path.join(self.work, name + ".jsa")],
                                   stdin=subprocess.DEVNULL, capture_output=True, text=True)
                if r.returncode != 0:
                    raise Fatal("class-data dump of %s failed:\n%s%s" % (jar, r.stdout, r.stderr))
            archive = os.path.join(self.work, "sysload-exporter-tls.jsa" if self.tls_files else "sysload-exporter.jsa")
            env["SYSLOAD_EXPORTER_CDS_DIR"] = self.work
        else:
            note = "no class-data archive (--no-cds)"
            env["SYSLOAD_EXPORTER_CDS_ARCHIVE"] = ""
        port = free_port(self.ports)
        proc, log_path = self.start(["sh", os.path.join(REPO, "debian", "sysload-exporter.launcher"),
                                     "--web.listen-address=%s:%d" % (LOOPBACK, port)] + self.web_args(),
                                    env, "sysload-exporter.log")
        scheme = "https" if self.tls_files else "http"
        t = Target("sysload-exporter", "exporter", "%s://%s:%d/metrics" % (scheme, LOOPBACK, port),
                   "sysload_sysload ", proc=proc, log_path=log_path, note=note, **self.auth_kwargs(bool(self.tls_files)))
        self.targets.append(t)
        page = t.wait_ready()
        if archive:
            with open("/proc/%d/maps" % t.pid) as f:
                if archive not in f.read():
                    log("warning: the exporter's JVM does not map the class-data archive")
                    t.note = "class-data archive NOT mapped"
        for line in page.splitlines():
            if line.startswith("sysload_build_info{") and 'javaversion="' in line:
                t.info = "Java " + line.split('javaversion="', 1)[1].split('"', 1)[0]

    def start_node_exporter(self, path):
        port = free_port(self.ports)
        # Cheap collectors only: the test is of its HTTP server, not of its collectors.
        proc, log_path = self.start([path, "--web.listen-address=%s:%d" % (LOOPBACK, port),
                                     "--collector.disable-defaults", "--collector.cpu",
                                     "--collector.loadavg", "--collector.meminfo"] + self.web_args(),
                                    dict(os.environ), "node_exporter.log")
        scheme = "https" if self.tls_files else "http"
        t = Target("node_exporter", "node", "%s://%s:%d/metrics" % (scheme, LOOPBACK, port), "node_",
                   proc=proc, log_path=log_path, **self.auth_kwargs(bool(self.tls_files)))
        self.targets.append(t)
        t.wait_ready()
        r = subprocess.run([path, "--version"], capture_output=True, text=True)
        t.info = ((r.stdout or r.stderr).splitlines() or [""])[0]

    def start_go_exporter(self, path):
        port = free_port(self.ports)
        proc, log_path = self.start([path, "--listen-address=%s:%d" % (LOOPBACK, port)],
                                    dict(os.environ), "go-exporter.log")
        t = Target("go-sysload-exporter", "go", "http://%s:%d/metrics" % (LOOPBACK, port), "sysload_sysload",
                   proc=proc, log_path=log_path, note="plain HTTP" if self.tls_files else "")
        self.targets.append(t)
        t.wait_ready()

    def add_external(self):
        a = self.args
        u = urllib.parse.urlsplit(a.target)
        if u.scheme not in ("http", "https") or u.hostname not in ("127.0.0.1", "localhost") or not u.port:
            raise Fatal("--target must be http(s)://127.0.0.1:PORT/...: this script attacks loopback only")
        url = urllib.parse.urlunsplit((u.scheme, "%s:%d" % (LOOPBACK, u.port), u.path or "/metrics", u.query, ""))
        user = urllib.parse.unquote(u.username) if u.username else None
        password = urllib.parse.unquote(u.password or "") if user else None
        if proc_stat(a.pid) is None:
            raise Fatal("no process %d" % a.pid)
        t = Target(a.name, "external", url, a.expect, pid=a.pid,
                   ssl_context=insecure_context() if u.scheme == "https" else None, user=user, password=password)
        self.targets.append(t)
        t.wait_ready(10)

    # --- a round ---------------------------------------------------------------------------

    def clients_for(self, rnd):
        """How many clients the round gets, capped by the file descriptors there are."""
        want = ROUNDS[rnd]["clients"](self.args)
        room = self.nofile_hard - FD_RESERVE
        if ROUNDS[rnd]["kind"] != "auth" and want > room:
            return room, "capped at %d clients by RLIMIT_NOFILE hard limit %d" % (room, self.nofile_hard)
        return want, ""

    def run_round(self, rnd, t):
        a = self.args
        r = {"round": rnd, "target": t.name}
        if not t.alive():
            r["skipped"] = "target not running"
            return r
        spec_round = ROUNDS[rnd]
        if spec_round["kind"] == "tls" and not t.tls:
            r["skipped"] = "no TLS"
            return r
        if spec_round["kind"] == "auth" and not t.user:
            r["skipped"] = "no basic auth"
            return r
        clients, cap_note = self.clients_for(rnd)
        r["clients"] = clients
        notes = [cap_note] if cap_note else []

        idle = rss_mb(t.pid)
        if t.idle0_mb is None:
            t.idle0_mb = idle
        # The scraper's connection is open before the attack, as Prometheus's would be; this
        # first scrape is not counted.
        scraper = Scraper(t, keep_alive=not a.new_connection)
        scraper.warm()

        spec = {"kind": spec_round["kind"], "port": t.port, "clients": clients, "tls": t.tls,
                "max_seconds": a.seconds + 60, "reconnect_rate": a.reconnect_rate}
        if spec_round["kind"] == "auth":
            spec.update(url=t.url, user=t.user)
        self.load = LoadChild(spec)
        cpu0, t0 = proc_stat(t.pid), time.monotonic()
        scraper.start(a.seconds)
        peak = idle or 0.0
        # The scraper starts no scrape after the round's time; the one in flight then may take
        # up to its 10 s, and the attack is held until it ends: a scrape that the attack holds
        # up must time out, not be answered because the attack stopped.
        while scraper.thread.is_alive():
            peak = max(peak, rss_mb(t.pid) or 0.0)
            scraper.thread.join(0.1)
        elapsed = time.monotonic() - t0
        cpu1 = proc_stat(t.pid)
        r["server_established_at_end"] = established_on(t.port, scraper.client.local_port)
        stats = self.load.stop()
        self.load = None
        closed_at = time.monotonic()

        if spec_round["kind"] == "flood":
            # How long until a scrape is answered again once the flood is gone, each try on a
            # new connection: a connection kept from before the flood could be answered while
            # the server still takes no new one (a scraper restarted, or one whose connection
            # the flood broke, would not be).
            recovered = None
            while time.monotonic() - closed_at < RECOVERY_LIMIT_S and t.alive():
                scraper.client.close()
                ok, _, _ = t.scrape(scraper.client)
                if ok:
                    recovered = time.monotonic() - closed_at
                    break
                time.sleep(SCRAPE_INTERVAL)
            r["recovery_s"] = recovered
            r["alive_after"] = t.alive()
            notes.append("answered again %s after" % ("%.1f s" % recovered if recovered is not None
                                                      else "NOT within %d s" % RECOVERY_LIMIT_S))
            notes.append("alive" if r["alive_after"] else "DIED")
        scraper.client.close()
        end = rss_mb(t.pid)

        lat = sorted(scraper.latencies)
        r.update(seconds=round(elapsed, 2), attempted=scraper.attempted, answered=len(lat),
                 latencies_ms=[round(x * 1000, 2) for x in scraper.latencies],
                 p50_ms=percentile(lat, 50), p99_ms=percentile(lat, 99), max_ms=lat[-1] * 1000 if lat else None,
                 scrape_errors=dict(scraper.errors), rss_idle_mb=idle, rss_peak_mb=max(peak, end or 0.0),
                 rss_end_mb=end, alive=t.alive(), hostile=stats)
        r["open_at_end"] = stats.get("open_at_end")
        if cpu0 and cpu1:
            r["cpu_cores"] = (cpu1[0] - cpu0[0]) / CLK_TCK / elapsed
        if stats.get("life_s"):
            # The hostile clients' own CPU, over their whole life (the first connects included).
            r["load_cpu_cores"] = stats["cpu_s"] / stats["life_s"]
        r["note"] = "; ".join(notes + describe(r))
        return r


def percentile(sorted_values, p):
    """Nearest-rank percentile in ms, None if there are no values."""
    if not sorted_values:
        return None
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)] * 1000


def describe(r):
    """The round's notable figures, as short phrases."""
    s, out = r["hostile"], []
    if r["scrape_errors"]:
        out.append("failed scrapes: " + ", ".join("%d %s" % (n, k) for k, n in sorted(r["scrape_errors"].items())))
    if s.get("requests"):
        statuses = ", ".join("%s %s" % (k[len("status_"):] if k.startswith("status_") else k[len("error_"):], f"{v:,}")
                             for k, v in sorted(s.items()) if k.startswith(("status_", "error_")))
        out.append("%s wrong-password requests (%s)" % (f"{s['requests']:,}", statuses))
    else:
        out.append("%s connects" % f"{s.get('connected', 0):,}")
        if s.get("closed_by_server"):
            out.append("%s closed by server" % f"{s['closed_by_server']:,}")
        failed = {k[len("connect_"):]: v for k, v in s.items() if k.startswith("connect_")}
        if failed:
            out.append("connects failed: " + ", ".join("%s %s" % (f"{v:,}", k) for k, v in sorted(failed.items())))
        if s.get("http_replies"):
            out.append("%s HTTP replies" % f"{s['http_replies']:,}")
        if abs(r.get("server_established_at_end", 0) - s.get("open_at_end", 0)) > 1:
            out.append("server side: %s established" % f"{r['server_established_at_end']:,}")
    if s.get("load_process_failed"):
        out.append("LOAD PROCESS FAILED")
    if not r["alive"]:
        out.append("TARGET DIED")
    return out


class Scraper:
    """The well-behaved scraper: every 0.5 s, one at a time (a scrape that takes longer delays
    the next, as in Prometheus's scrape loop), each with a 10 s timeout, in a thread."""

    def __init__(self, target, keep_alive=True):
        self.target = target
        self.client = target.client(keep_alive)
        self.latencies = []
        self.errors = collections.Counter()
        self.attempted = 0
        self.thread = None

    def warm(self):
        if not self.target.scrape(self.client, 5.0)[0]:
            self.client.close()

    def start(self, seconds):
        self.thread = threading.Thread(target=self._run, args=(time.monotonic() + seconds,), daemon=True)
        self.thread.start()

    def _run(self, until):
        next_at = time.monotonic()
        while next_at < until:
            self.attempted += 1
            ok, took, err = self.target.scrape(self.client)
            if ok:
                self.latencies.append(took)
            else:
                self.errors[err] += 1
                self.client.close()  # as Go's client after a failed request
            next_at = max(next_at + SCRAPE_INTERVAL, time.monotonic())
            time.sleep(max(0.0, next_at - time.monotonic()))


# ---------------------------------------------------------------------------------------------
# The rounds, the table, the goals.

ROUNDS = {
    "half4": {"kind": "half", "clients": lambda a: 4,
              "what": "4 clients send half a request and then nothing"},
    "half64": {"kind": "half", "clients": lambda a: 64,
               "what": "64 clients send half a request and then nothing"},
    "slow1000": {"kind": "slow", "clients": lambda a: a.clients,
                 "what": "{n} half requests that send one more header byte every 2 s"},
    "silent1000": {"kind": "silent", "clients": lambda a: a.clients,
                   "what": "{n} connections that send nothing"},
    "tls1000": {"kind": "tls", "clients": lambda a: a.clients,
                "what": "{n} TLS handshakes begun (a real ClientHello) and never finished"},
    "auth16": {"kind": "auth", "clients": lambda a: 16,
               "what": "16 threads send requests with wrong passwords as fast as they are answered"},
    "flood10000": {"kind": "flood", "clients": lambda a: a.flood,
                   "what": "{n} silent connections attempted and held, then closed"},
}
COLUMNS = ["round", "target", "scrapes answered", "p50 ms", "p99 ms", "max ms", "hostile open at end",
           "RSS idle -> peak -> end (MB)", "CPU cores (auth16 only)", "note"]


def fmt_ms(v):
    return "-" if v is None else ("%.1f" % v if v < 100 else "%.0f" % v)


def fmt_mb(v):
    return "?" if v is None else "%.1f" % v


def table_row(r):
    if "skipped" in r:
        return [r["round"], r["target"]] + [""] * 7 + ["skipped: " + r["skipped"]]
    return [r["round"], r["target"], "%d/%d" % (r["answered"], r["attempted"]),
            fmt_ms(r["p50_ms"]), fmt_ms(r["p99_ms"]), fmt_ms(r["max_ms"]),
            "-" if r["round"] == "auth16" else "%s/%s" % (f"{r['open_at_end'] or 0:,}", f"{r['clients']:,}"),
            "%s -> %s -> %s" % (fmt_mb(r["rss_idle_mb"]), fmt_mb(r["rss_peak_mb"]), fmt_mb(r["rss_end_mb"])),
            "%.2f" % r["cpu_cores"] if r["round"] == "auth16" and "cpu_cores" in r else "",
            r["note"]]


def print_table(rnd, rows, args):
    n = rows[0].get("clients") if rows and "clients" in rows[0] else ROUNDS[rnd]["clients"](args)
    print("\n### %s: %s, %g s\n" % (rnd, ROUNDS[rnd]["what"].format(n=f"{n:,}"), args.seconds))
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for r in rows:
        print("| " + " | ".join(str(c).replace("|", "/") for c in table_row(r)) + " |")
    load = ", ".join("%s %.2f" % (r["target"], r["load_cpu_cores"]) for r in rows if "load_cpu_cores" in r)
    if load:
        print("\nthe hostile clients' own CPU (cores): " + load)
    sys.stdout.flush()


def check_goals(results, settle, targets, max_p99_ms=GOAL_P99_MS, max_growth_mb=GOAL_PEAK_MB):
    """The failed goals of --assert, one line each, for the exporter (started or --target)."""
    failed = []
    for r in results:
        kind = next(t.kind for t in targets if t.name == r["target"])
        if kind not in ("exporter", "external") or "skipped" in r:
            continue
        where = "%s %s:" % (r["round"], r["target"])
        if r["attempted"] == 0 or r["answered"] < r["attempted"]:
            failed.append("%s %d of %d scrapes answered" % (where, r["answered"], r["attempted"]))
        if r["p99_ms"] is not None and r["p99_ms"] > max_p99_ms:
            failed.append("%s p99 %.0f ms > %g ms" % (where, r["p99_ms"], max_p99_ms))
        if r["rss_idle_mb"] is not None and r["rss_peak_mb"] - r["rss_idle_mb"] > max_growth_mb:
            failed.append("%s resident peak %.1f MB, %.1f MB above idle (goal %g)"
                          % (where, r["rss_peak_mb"], r["rss_peak_mb"] - r["rss_idle_mb"], max_growth_mb))
        if r["round"] == "flood10000":
            if r.get("recovery_s") is None or r["recovery_s"] > GOAL_RECOVERY_S:
                failed.append("%s no scrape answered within %.0f s after the flood" % (where, GOAL_RECOVERY_S))
        if not r.get("alive", True) or r.get("alive_after") is False:
            failed.append("%s the process is gone" % where)
    for s in settle:
        kind = next(t.kind for t in targets if t.name == s["target"])
        if kind in ("exporter", "external") and (s["rss_mb"] is None or s["rss_mb"] - s["idle_before_mb"] > GOAL_SETTLE_MB):
            failed.append("settle %s: resident %s MB after %g s, idle before the first round %.1f MB (goal: within %.0f)"
                          % (s["target"], fmt_mb(s["rss_mb"]), s["seconds"], s["idle_before_mb"], GOAL_SETTLE_MB))
    return failed


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Rounds: " + ", ".join(ROUNDS) + ". See the top of the script for more.")
    p.add_argument("--exporter-jar", metavar="JAR", help="(default: target/sysload-exporter.jar of the checkout)")
    p.add_argument("--no-exporter", action="store_true", help="do not start the exporter")
    p.add_argument("--java-home", metavar="DIR", help="run the exporter on this JDK (no class-data archive then)")
    p.add_argument("--no-cds", action="store_true", help="no class-data archive for the exporter")
    default_node = "/usr/bin/prometheus-node-exporter"
    p.add_argument("--node-exporter", metavar="PATH",
                   default=default_node if os.access(default_node, os.X_OK) else None)
    p.add_argument("--no-node-exporter", action="store_true")
    p.add_argument("--go-exporter", metavar="PATH", help="the Go sysload exporter binary (--listen-address)")
    p.add_argument("--target", metavar="URL", help="an exporter already running, e.g. http://127.0.0.1:9858/metrics")
    p.add_argument("--pid", type=int, help="its PID (with --target)")
    p.add_argument("--name", default="target", help="its name in the tables (with --target)")
    p.add_argument("--expect", default="sysload_sysload ", help="text of its sample (with --target)")
    p.add_argument("--tls", action="store_true", help="TLS and basic auth on the started exporter and node_exporter")
    p.add_argument("--rounds", help="comma-separated (default: all that apply)")
    p.add_argument("--seconds", type=float, default=15, help="each round's length (default 15)")
    p.add_argument("--pause", type=float, default=5, help="idle time after each round (default 5)")
    p.add_argument("--warmup", type=float, default=5,
                   help="scrapes every 0.5 s for this long before the first round (default 5)")
    p.add_argument("--settle", type=float, default=0, help="after the last round, wait and report RSS again")
    p.add_argument("--clients", type=int, default=1000, help="clients of the 1000-client rounds (default 1000)")
    p.add_argument("--flood", type=int, default=10000, help="connections of flood10000 (default 10000)")
    p.add_argument("--reconnect-rate", type=float, default=1000,
                   help="reconnects per second of all clients together at most (default 1000)")
    p.add_argument("--new-connection", action="store_true",
                   help="the scraper opens a new connection for every scrape (default: kept alive)")
    p.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    p.add_argument("--assert", dest="assert_goals", action="store_true", help="exit 1 unless the exporter met the goals")
    p.add_argument("--max-p99", metavar="MS", type=float, default=GOAL_P99_MS,
                   help="--assert: the p99 latency of the scrapes at most (default %g ms)" % GOAL_P99_MS)
    p.add_argument("--max-growth", metavar="MB", type=float, default=GOAL_PEAK_MB,
                   help="--assert: the resident peak at most this far above idle (default %g MB)" % GOAL_PEAK_MB)
    a = p.parse_args(argv)
    if a.target and a.pid is None:
        p.error("--target needs --pid")
    if a.pid is not None and not a.target:
        p.error("--pid goes with --target")
    if a.exporter_jar is None and not a.target and not a.no_exporter:
        a.exporter_jar = os.path.join(REPO, "target", "sysload-exporter.jar")
    if a.no_exporter:
        a.exporter_jar = None
    if a.no_node_exporter:
        a.node_exporter = None
    if a.rounds:
        a.rounds = [x.strip() for x in a.rounds.split(",") if x.strip()]
        unknown = [x for x in a.rounds if x not in ROUNDS]
        if unknown:
            p.error("unknown round(s) %s; rounds: %s" % (", ".join(unknown), ", ".join(ROUNDS)))
    else:
        target = urllib.parse.urlsplit(a.target or "")
        apply = {"tls": a.tls or target.scheme == "https", "auth": a.tls or bool(target.username)}
        a.rounds = [x for x in ROUNDS if apply.get(ROUNDS[x]["kind"], True)]
    if a.seconds <= 0 or a.pause < 0 or a.settle < 0 or a.clients < 1 or a.flood < 1 or a.reconnect_rate <= 0:
        p.error("--seconds, --clients, --flood and --reconnect-rate must be positive, --pause and --settle not negative")
    if not (a.max_p99 > 0 and a.max_growth > 0):
        p.error("--max-p99 and --max-growth must be positive")
    return a


def main(argv):
    args = parse_args(argv)

    def on_signal(signum, _frame):
        raise Interrupted(signum)

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)

    runner = Runner(args)
    results, settle, failed = [], [], []
    try:
        need = max(ROUNDS[x]["clients"](args) for x in args.rounds if ROUNDS[x]["kind"] != "auth") \
            if any(ROUNDS[x]["kind"] != "auth" for x in args.rounds) else 0
        log("RLIMIT_NOFILE soft %d raised to the hard limit %d" % (runner.nofile_soft, runner.nofile_hard)
            if runner.nofile_soft < runner.nofile_hard else "RLIMIT_NOFILE %d" % runner.nofile_hard)
        if need + FD_RESERVE > runner.nofile_hard:
            log("warning: the hard RLIMIT_NOFILE %d is too low for %d clients: such rounds are capped at %d"
                % (runner.nofile_hard, need, runner.nofile_hard - FD_RESERVE))
        if args.tls:
            runner.make_tls()
        if args.exporter_jar:
            runner.start_exporter()
        if args.target:
            runner.add_external()
        if args.node_exporter:
            runner.start_node_exporter(args.node_exporter)
        if args.go_exporter:
            runner.start_go_exporter(args.go_exporter)
        if not runner.targets:
            raise Fatal("no target")

        print("hostile clients against %s; %d CPUs, %s, Python %s, RLIMIT_NOFILE %d; rounds of %g s, %g s pause"
              % (", ".join(t.name for t in runner.targets), os.cpu_count(), os.uname().release,
                 sys.version.split()[0], runner.nofile_hard, args.seconds, args.pause))
        for t in runner.targets:
            print("- %s: pid %d, %s%s%s" % (t.name, t.pid, t.url, ", " + t.info if t.info else "",
                                            ", " + t.note if t.note else ""))
        # Warm-up: the first scrapes render and compile; idle figures are taken after them.
        if args.warmup > 0:
            scrapers = [Scraper(t) for t in runner.targets]
            for s in scrapers:
                s.start(args.warmup)
            for s in scrapers:
                s.thread.join()
                s.client.close()
            time.sleep(args.pause)

        for rnd in args.rounds:
            rows = []
            for t in runner.targets:
                log("%s against %s" % (rnd, t.name))
                r = runner.run_round(rnd, t)
                rows.append(r)
                if "skipped" not in r:
                    time.sleep(args.pause)
            results.extend(rows)
            print_table(rnd, rows, args)

        if args.settle > 0:
            log("settling for %g s" % args.settle)
            time.sleep(args.settle)
            print("\nresident memory %g s after the last round (idle before the first round):" % args.settle)
            for t in runner.targets:
                s = {"target": t.name, "seconds": args.settle, "rss_mb": rss_mb(t.pid), "idle_before_mb": t.idle0_mb}
                settle.append(s)
                print("- %s: %s MB (%s MB)" % (t.name, fmt_mb(s["rss_mb"]), fmt_mb(t.idle0_mb)))

        failed = check_goals(results, settle, runner.targets, args.max_p99, args.max_growth) \
            if args.assert_goals else []
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"args": {k: v for k, v in vars(args).items()},
                           "targets": [{"name": t.name, "kind": t.kind, "pid": t.pid, "url": t.url,
                                        "info": t.info, "note": t.note} for t in runner.targets],
                           "rounds": results, "settle": settle, "failed_goals": failed}, f, indent=1)
        if args.assert_goals:
            print()
            for line in failed:
                print("FAILED " + line)
            print("goals: %s" % ("all met" if not failed else "%d failed" % len(failed)))
        return 1 if failed else 0
    except Fatal as e:
        log(str(e))
        return 2
    except Interrupted as e:
        log("stopped by signal %d" % e.signum)
        return 128 + e.signum
    finally:
        # A second signal must not cut the cleanup short.
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        runner.cleanup()


if __name__ == "__main__":
    if sys.argv[1:] == ["--load-process"]:
        load_process()
    else:
        sys.exit(main(sys.argv[1:]))
