package io.github.sysloadexporter.cli;

import static io.github.sysloadexporter.cli.ExporterProcess.assertUsageError;
import static io.github.sysloadexporter.cli.ExporterProcess.run;
import static io.github.sysloadexporter.cli.ExporterProcess.signal;
import static io.github.sysloadexporter.cli.ExporterProcess.start;
import static io.github.sysloadexporter.cli.ExporterProcess.stderr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.cli.ExporterProcess.Result;
import io.github.sysloadexporter.testing.Fixtures;
import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.testing.Ports;
import io.github.sysloadexporter.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exporter as an operator meets it: a separate JVM started from the command line, real
 * /proc and /sys, real signals, real exit codes.
 */
class ProcessIT {
    @Test
    void badInputIsOneLineAndStatusTwo() throws Exception {
        assertUsageError(run("--no-such-flag"), "--no-such-flag");
        assertUsageError(run("--refresh-rate", "0"), "--refresh-rate");
        assertUsageError(run("--refresh-rate=31"), "1 to 30");
        assertUsageError(run("--interrupt-threshold", "101"), "0 to 100");
        assertUsageError(run("--interrupted-threshold", "-1"), "0 to 100");
        assertUsageError(run("--path.procfs", "/nonexistent"), "no stat file");
        assertUsageError(run("--web.listen-address", "localhost"), "no port");
        assertUsageError(run("--log.level", "loud"), "--log.level");
    }

    @Test
    void portInUseIsOneLineNamingTheAddressAndStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            Result r = run("--web.listen-address", address);
            assertEquals(1, r.exit(), r.err());
            assertTrue(
                    r.err().lines().anyMatch(l -> l.startsWith("sysload-exporter: cannot listen on " + address)),
                    r.err());
        }
    }

    @Test
    void servesRealProcAndStopsOnSigtermWithStatusZero() throws Exception {
        int port = Ports.free();
        Process p = start("--web.listen-address", "127.0.0.1:" + port, "-b", "nosuchdisk0");
        try {
            String body = new Http().awaitFirstSample(port);
            assertTrue(body.contains("\nsysload_sysload "), body);
            // What watch's test looks for finds the server's listening socket here.
            assertFalse(tcpSockets(p.pid()).isEmpty(), "no TCP socket found for the serving daemon");
            assertTrue(body.contains("sysload_si_cpu{mode=\"idle\",}"), body);
            assertTrue(body.contains("process_resident_memory_bytes "), body);
            servesAsPrometheusExpects(port);

            long start = System.nanoTime();
            signal(p, "TERM");
            assertTrue(p.waitFor(2, TimeUnit.SECONDS), "still running 2 s after SIGTERM");
            assertEquals(0, p.exitValue());
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            // the -b typo: one warning at start, naming it
            String err = stderr(p);
            assertEquals(
                    1,
                    err.lines()
                            .filter(l -> l.contains("-b nosuchdisk0: no block device of that name"))
                            .count(),
                    err);
        } finally {
            p.destroyForcibly();
        }
    }

    /** gzip when asked, 405 to a method that is not GET or HEAD, a landing page naming the version. */
    static void servesAsPrometheusExpects(int port) throws Exception {
        Http http = new Http();
        Http.Raw gz = http.send("GET", port, "/metrics", "Accept-Encoding", "gzip");
        assertEquals(200, gz.status());
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(gz.text().contains("\nsysload_sysload "), gz.text());
        Http.Raw post = http.send("POST", port, "/metrics");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        String landing = http.get(port, "/").body();
        assertTrue(landing.matches("(?s).*<p>Version [^ <]+ \\(Java [^ <]+\\)</p>.*"), landing);
        assertTrue(landing.contains("<h2>Watched</h2>\n<p>Network interfaces"), landing);
    }

    /**
     * Prometheus's own linter passes the exposition of the exporter running here (process
     * metrics included) and the one EndToEndTest expects over the virtio guest (every series).
     */
    @Test
    void passesPromtoolCheckMetrics() throws Exception {
        Path promtool = Tools.require("promtool");
        int port = Ports.free();
        Process p = start("--web.listen-address", "127.0.0.1:" + port);
        String live;
        try {
            live = new Http().awaitFirstSample(port);
        } finally {
            p.destroyForcibly();
        }
        assertTrue(live.contains("\nsysload_sysload ") && live.contains("process_cpu_seconds_total "), live);
        assertEquals("", promtoolCheck(promtool, live), "promtool's complaints");
        assertEquals("", promtoolCheck(promtool, Files.readString(SteppedProc.METRICS)), "promtool's complaints");
    }

    private static String promtoolCheck(Path promtool, String exposition) throws Exception {
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = check.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), out);
        return out.strip();
    }

    @Test
    void infoPrintsWhatWasDetectedAndWhy() throws Exception {
        String procfs = Fixtures.procfs("virtio-2cpu").toString();
        String sysfs = Fixtures.sysfs("virtio-2cpu").toString();
        Result r = run("--info", "--path.procfs", procfs, "--path.sysfs", sysfs);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("eth0: watched"), r.out());
        assertTrue(r.out().matches("(?s).*IRQ 38 virtio2-input\\.0: chosen.*"), r.out());
        assertFalse(r.out().matches("(?s).*IRQ (34|36|39)[^\n]*: chosen.*"), r.out()); // rng, disk, tx
        assertTrue(r.out().contains("vda: watched"), r.out());
        assertTrue(r.out().contains("loop0: not watched"), r.out());

        r = run("--info", "--path.procfs", procfs, "--path.sysfs", sysfs, "-i", "eth0,eht0", "-b", "vdb");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Warnings:\n  -i eht0: no interface of that name"), r.out());
        assertTrue(r.out().contains("  -b vdb: no block device of that name"), r.out());
        assertFalse(r.out().contains("-i eth0:"), r.out());

        // a sysfs without block/ (a container's, this fixture's): no disk, and why, not a trace
        String powervm = Fixtures.sysfs("nic-ibm-powervm").toString();
        r = run("--info", "--path.procfs", Fixtures.procfs("nic-ibm-powervm").toString(), "--path.sysfs", powervm);
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out().contains("  block/: not watched, cannot be listed: " + powervm + "/block: no such file"),
                r.out());
        assertTrue(r.out().matches("(?s).*IRQ 258 ibmvnic-30000003-rx0: chosen.*"), r.out());
    }

    /**
     * {@code watch} on this machine's /proc and /sys: a header and the asked number of lines on
     * stdout, no colour into a pipe, no socket ever opened, the unknown -b name warned about,
     * status 0. Sampling flags are taken after the subcommand as before it.
     */
    @Test
    void watchPrintsCountLinesOfRealProcWithoutAServer() throws Exception {
        Process p = start("--refresh-rate", "1", "watch", "--count", "3", "-b", "nosuchdisk0");
        // The JVM keeps an AF_UNIX socket of its own for NIO; a server would hold a TCP one.
        Set<String> tcp = new TreeSet<>();
        while (p.isAlive()) {
            tcp.addAll(tcpSockets(p.pid()));
            Thread.sleep(100);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = stderr(p);
        assertEquals(0, p.waitFor(), err);
        List<String> all = out.lines().toList();
        // the header and three lines, then, after a blank line, the summary of what it saw
        List<String> lines = all.subList(0, 4);
        assertEquals("", all.get(4), out);
        List<String> summary = all.subList(5, all.size());
        assertTrue(summary.get(0).matches("[34] s seen, sysload \\d+\\.\\d on average"), out);
        assertTrue(summary.get(summary.size() - 2).startsWith("driving: "), out);
        assertTrue(summary.get(summary.size() - 1).startsWith("at or above 90: "), out);
        assertTrue(
                lines.get(0)
                        .matches("time +sysload +1m +5m +15m +cpu +si_nic +si_cpus +si_busy +si_irq( +\\S+)* drives"),
                lines.get(0));
        String percent = " +\\d{1,3}\\.\\d";
        for (String line : lines.subList(1, 4)) {
            assertTrue(
                    line.matches("\\d\\d:\\d\\d:\\d\\d(" + percent + "){5} \\S+ +\\S+(" + percent
                            + ")+ (cpu|si_cpu:\\S+|io:\\S+|-)"),
                    line);
        }
        assertFalse(out.contains("\033"), "colour into a pipe: " + out);
        assertEquals(Set.of(), tcp, "watch opened a TCP socket");
        assertTrue(err.contains("-b nosuchdisk0: no block device of that name"), err);
        assertFalse(err.contains(" INFO "), "watch logs warnings only by default: " + err);

        // Ctrl-C or SIGTERM ends an endless watch with status 0, as they end the daemon.
        Process endless = start("watch");
        try (BufferedReader watched =
                new BufferedReader(new InputStreamReader(endless.getInputStream(), StandardCharsets.UTF_8))) {
            assertTrue(watched.readLine().startsWith("time "));
            assertTrue(watched.readLine().matches("\\d\\d:\\d\\d:\\d\\d .*"));
            signal(endless, "TERM");
            assertTrue(endless.waitFor(10, TimeUnit.SECONDS), "watch did not end on SIGTERM");
            assertEquals(0, endless.exitValue(), stderr(endless));
            // stopped by a signal, it still says what it saw
            List<String> rest = watched.lines().toList();
            assertTrue(rest.stream().anyMatch(l -> l.matches("\\d+ s seen, .*")), rest.toString());
        }

        assertUsageError(run("watch", "--count", "-1"), "--count must be 0 or more");
        assertUsageError(run("watch", "--web.listen-address", ":1"), "--web.listen-address");
    }

    /** The inodes of the process's open sockets that are TCP sockets (v4 or v6); empty once it ended. */
    static Set<String> tcpSockets(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid));
        Set<String> inodes = new TreeSet<>();
        try (var fds = Files.list(dir.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring(8, target.length() - 1));
                }
            }
            Set<String> tcp = new TreeSet<>();
            for (String table : List.of("net/tcp", "net/tcp6")) {
                for (String line : Files.readAllLines(dir.resolve(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && inodes.contains(f[9])) {
                        tcp.add(table + " " + line.trim());
                    }
                }
            }
            return tcp;
        } catch (IOException e) {
            return Set.of(); // it ended between two reads
        }
    }
}
