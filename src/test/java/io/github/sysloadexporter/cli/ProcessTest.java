package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.FixtureRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exporter as an operator meets it: a separate JVM started from the command line, real
 * /proc and /sys, real signals, real exit codes.
 */
class ProcessTest {

    record Result(int exit, String out, String err) {
    }

    static Process spawn(String... args) throws IOException {
        return spawn(List.of(), args);
    }

    /** The exporter in a JVM of its own, with extra JVM options before the main class. */
    static Process spawn(List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    /**
     * Scrapes the exporter on the port until it serves its first sample, which needs two
     * readings one interval apart, for up to 10 s; returns the last body (empty if none).
     */
    static String awaitFirstSample(HttpClient http, int port) throws InterruptedException {
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        String body = "";
        for (int i = 0; i < 100 && !body.contains("\nsysload_sysload "); i++) {
            Thread.sleep(100);
            try {
                body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException notYet) {
                // not listening yet
            }
        }
        return body;
    }

    static Result run(String... args) throws Exception {
        Process p = spawn(args);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not exit");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void assertUsageError(Result r, String mentions) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(mentions), r.err());
        assertEquals("", r.out());
    }

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
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            Result r = run("--web.listen-address", address);
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().lines().anyMatch(l -> l.startsWith("sysload-exporter: cannot listen on " + address)),
                    r.err());
        }
    }

    @Test
    void servesRealProcAndStopsOnSigtermWithStatusZero() throws Exception {
        int port = freePort();
        Process p = spawn("--web.listen-address", "127.0.0.1:" + port, "-b", "nosuchdisk0");
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String body = awaitFirstSample(http, port);
            assertTrue(body.contains("\nsysload_sysload "), body);
            assertTrue(body.contains("sysload_si_cpu{mode=\"idle\",}"), body);
            assertTrue(body.contains("process_resident_memory_bytes "), body);

            long start = System.nanoTime();
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(2, TimeUnit.SECONDS), "still running 2 s after SIGTERM");
            assertEquals(0, p.exitValue());
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            // the -b typo: one warning at start, naming it
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, err.lines().filter(l -> l.contains("-b nosuchdisk0: no block device of that name")).count(),
                    err);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void infoPrintsWhatWasDetectedAndWhy() throws Exception {
        Result r = run("--info", "--path.procfs", FixtureRoot.of("virtio-2cpu/proc").toString(),
                "--path.sysfs", FixtureRoot.of("virtio-2cpu/sys").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("eth0: watched"), r.out());
        assertTrue(r.out().matches("(?s).*IRQ 38 virtio2-input\\.0: chosen.*"), r.out());
        assertFalse(r.out().matches("(?s).*IRQ (34|36|39)[^\n]*: chosen.*"), r.out()); // rng, disk, tx
        assertTrue(r.out().contains("vda: watched"), r.out());
        assertTrue(r.out().contains("loop0: not watched"), r.out());

        r = run("--info", "--path.procfs", FixtureRoot.of("virtio-2cpu/proc").toString(),
                "--path.sysfs", FixtureRoot.of("virtio-2cpu/sys").toString(), "-i", "eth0,eht0", "-b", "vdb");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Warnings:\n  -i eht0: no interface of that name"), r.out());
        assertTrue(r.out().contains("  -b vdb: no block device of that name"), r.out());
        assertFalse(r.out().contains("-i eth0:"), r.out());
    }
}
