package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Fixtures;
import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.testing.Readme;
import io.github.sysloadexporter.testing.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon on a loopback port, over a procfs the test writes and the virtio guest's
 * sysfs fixture, with a clock the test drives: the scraped /metrics must equal the checked-in
 * expected file exactly (the process and build lines, which depend on the JVM, left out).
 */
class EndToEndTest {
    static final Path SYSFS = Fixtures.sysfs("virtio-2cpu");
    static final Path EXPECTED = Repository.path("src/test/resources/e2e/metrics.txt");
    static final long T0_MILLIS = 1_764_000_000_000L;

    @TempDir
    Path proc;

    SteppedProc steps;
    final Http http = new Http();
    Daemon daemon;

    @BeforeEach
    void start() throws IOException {
        steps = new SteppedProc(proc);
        daemon = TestDaemon.start(proc, SYSFS, steps.nanos::get, steps.wall::get);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    /**
     * Step 0 and step 1 of a 2-CPU virtio guest, one second apart. By hand: cpu0 spends 20
     * user, 5 system, 75 idle ticks; cpu1 10 user, 10 system, 30 idle, 50 softirq: all CPUs are
     * user 15, system 7.5, idle 52.5, sintr 25 (busy 47.5). eth0's receive IRQ 38
     * (virtio2-input.0) grew on CPU1 only, so si_cpu is cpu1: system 10, sintr 50 (share 60 >
     * 40), busy 70. vda did 250 ms of I/O: 25 %. intr +5000 and ctxt +12000 in 1 s.
     * sysload = max(47.5, 70, 25) = 70.
     */
    static void writeProc(Path dir, int step) throws IOException {
        long u0 = 500 + 20L * step;
        long s0 = 250 + 5L * step;
        long i0 = 4000 + 75L * step;
        long u1 = 500 + 10L * step;
        long s1 = 250 + 10L * step;
        long i1 = 4000 + 30L * step;
        long si1 = 50L * step;
        String stat = String.format(
                "cpu  %d 0 %d %d 100 0 %d 0 0 0%n"
                        + "cpu0 %d 0 %d %d 50 0 0 0 0 0%n"
                        + "cpu1 %d 0 %d %d 50 0 %d 0 0 0%n"
                        + "intr %d 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 14%n"
                        + "ctxt %d%nbtime 1764000000%nprocesses 2000%nprocs_running 1%nprocs_blocked 0%n"
                        + "softirq 1000 0 100 0 200 50 0 10 300 0 340%n",
                u0 + u1,
                s0 + s1,
                i0 + i1,
                si1,
                u0,
                s0,
                i0,
                u1,
                s1,
                i1,
                si1,
                100_000 + 5000L * step,
                200_000 + 12_000L * step);
        Files.writeString(dir.resolve("stat"), stat);
        Files.writeString(
                dir.resolve("diskstats"),
                String.format(
                        "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0%n"
                                + " 254       0 vda 5380 3128 474162 1368 312 1330 51112 757 0 %d 2359 2913 120 37536 233 4 0%n"
                                + " 253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0%n",
                        764 + 250L * step));
        Files.writeString(
                dir.resolve("interrupts"),
                String.format(
                        "           CPU0       CPU1       %n"
                                + " 34:         12          0 PCI-MSIX-0000:00:05.0   1-edge      virtio4-input%n"
                                + " 36:          0  %9d PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0%n"
                                + " 37:          0          0 PCI-MSIX-0000:00:03.0   0-edge      virtio2-config%n"
                                + " 38:          0  %9d PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0%n"
                                + " 39:  %9d          0 PCI-MSIX-0000:00:03.0   2-edge      virtio2-output.0%n"
                                + "NMI:          0          0   Non-maskable interrupts%n"
                                + "LOC:       4416       4233   Local timer interrupts%n"
                                + "ERR:          0%n"
                                + "MIS:          0%n",
                        4784 + 300L * step, 191 + 400L * step, 170 + 900L * step));
    }

    void advance(int step) throws IOException {
        steps.step(step, daemon.sampler());
    }

    String scrape(String path) throws IOException, InterruptedException {
        Http.Response r = http.get(daemon.port(), path);
        assertEquals(200, r.status(), path);
        return r.body();
    }

    /** Drops what depends on the JVM running the test. */
    static String stable(String metrics) {
        return metrics.lines()
                .filter(l -> !l.contains("process_") && !l.contains("sysload_build_info"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void wholeOutputMatchesExpectedFile() throws Exception {
        daemon.sampler().tick();
        advance(1);
        String got = stable(scrape("/metrics"));
        if (Boolean.getBoolean("e2e.update")) {
            Files.writeString(EXPECTED, got, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(EXPECTED), got);
    }

    @Test
    void landingPageLinksToMetricsShowsWhatIsWatchedAndOtherPathsAre404() throws Exception {
        String before = scrape("/");
        assertTrue(before.contains("href=\"/metrics\""), before);
        assertTrue(before.contains("Nothing sampled yet"), before);
        daemon.sampler().tick();
        advance(1);
        String after = scrape("/");
        assertTrue(after.contains("(the CPUs serving their receive interrupts): eth0 (CPU 1)</p>"), after);
        assertTrue(after.contains("<p>Disks: vda</p>"), after);
        assertEquals(404, http.get(daemon.port(), "/nope").status());
    }

    @Test
    void aFailedSampleKeepsTheLastGoodValuesAndIsCounted() throws Exception {
        daemon.sampler().tick();
        advance(1);
        String good = scrape("/metrics");
        assertTrue(good.contains("sysload_sysload 70.0\n"), good);

        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\n"); // truncated
        steps.tick(SteppedProc.SECOND, daemon.sampler());
        String bad = scrape("/metrics");
        assertTrue(bad.contains("sysload_sysload 70.0\n"), bad);
        assertTrue(bad.contains("sysload_sample_failures_total 1.0\n"), bad);
        assertTrue(bad.contains("sysload_last_sample_timestamp_seconds 1.764000001E9\n"), bad);

        // Recovery: step 2 compared with step 1 (the last good reading), over the 2 s since.
        advance(2);
        String again = scrape("/metrics");
        assertTrue(again.contains("sysload_samples_total 3.0\n"), again);
        assertTrue(again.contains("sysload_io_util{device=\"vda\",} 12.5\n"), again); // 250 ms in 2 s
        assertTrue(again.contains("sysload_last_sample_timestamp_seconds 1.764000003E9\n"), again);
    }

    /** A metric added to the collector is documented too: README's metrics table names every family. */
    @Test
    void everyFamilyIsInReadmesMetricsTable() throws Exception {
        String table = Readme.section("## Metrics");
        List<String> missing = Files.readAllLines(EXPECTED).stream()
                .filter(l -> l.startsWith("# HELP "))
                .map(l -> l.split(" ")[2])
                .filter(name -> !table.contains("`" + name + "`") && !table.contains("`" + name + "{"))
                .toList();
        assertEquals(List.of(), missing, "families of " + EXPECTED + " missing from README's metrics table");
    }
}
