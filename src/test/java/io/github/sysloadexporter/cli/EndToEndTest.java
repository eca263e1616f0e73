package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.testing.Readme;
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

    @TempDir
    Path proc;

    SteppedProc steps;
    final Http http = new Http();
    Daemon daemon;

    @BeforeEach
    void start() throws IOException {
        steps = new SteppedProc(proc);
        daemon = TestDaemon.start(proc, SteppedProc.SYSFS, steps.nanos::get, steps.wall::get);
    }

    @AfterEach
    void stop() {
        daemon.close();
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
            Files.writeString(SteppedProc.METRICS, got, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(SteppedProc.METRICS), got);
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
        List<String> missing = Files.readAllLines(SteppedProc.METRICS).stream()
                .filter(l -> l.startsWith("# HELP "))
                .map(l -> l.split(" ")[2])
                .filter(name -> !table.contains("`" + name + "`") && !table.contains("`" + name + "{"))
                .toList();
        assertEquals(List.of(), missing, "families of " + SteppedProc.METRICS + " missing from README's metrics table");
    }
}
