package io.github.sysloadexporter.cli;

import static io.github.sysloadexporter.cli.SteppedProc.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.sysloadexporter.testing.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README "When something fails", by fault injection: the daemon runs in-process over a procfs the test
 * writes (the two-CPU virtio guest of {@link SteppedProc}, whose good interval gives
 * sysload 70, vda 25 %, ctxt 12000/s) and the test breaks its files between ticks. After every
 * fault it must still serve, count the failure, keep the last good values, and the next good
 * sample must be exactly right. Every scraped value is checked: never negative, NaN or
 * infinite, and never above 100 where 100 is the bound.
 */
class FaultInjectionTest {
    private static final Pattern LINE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? (\\S+)$");

    @TempDir
    Path proc;

    SteppedProc steps;
    final Http http = new Http();
    Daemon daemon;

    @BeforeEach
    void start() throws Exception {
        startOn(SteppedProc.SYSFS);
        String s = scrape();
        assertValue(s, "sysload_sysload", 70);
        assertValue(s, "sysload_io_util{device=\"vda\",}", 25);
        assertValue(s, "sysload_sample_failures_total", 0);
    }

    /** The daemon over the test's procfs and this sysfs, after its first interval (step 0 to 1). */
    void startOn(Path sysfs) throws IOException {
        steps = new SteppedProc(proc);
        daemon = TestDaemon.start(proc, sysfs, steps.nanos::get, steps.wall::get);
        daemon.sampler().tick();
        step(1);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    /** Writes step n's files and ticks one second later. */
    void step(int n) throws IOException {
        steps.step(n, daemon.sampler());
    }

    void tick(long elapsedNanos) {
        steps.tick(elapsedNanos, daemon.sampler());
    }

    String scrape() throws IOException, InterruptedException {
        String body = http.metrics(daemon.port());
        assertSane(body);
        return body;
    }

    /** Every sample line: a finite, non-negative number; percentages at most 100. */
    static void assertSane(String body) {
        for (String line : body.lines().toList()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), "unexpected line: " + line);
            double v = Double.parseDouble(m.group(3));
            assertTrue(Double.isFinite(v), line);
            assertTrue(v >= 0, line);
            String name = m.group(1);
            if (name.startsWith("sysload_sysload")
                    || name.endsWith("_percent")
                    || name.equals("sysload_si_cpu")
                    || name.equals("sysload_io_util")) {
                assertTrue(v <= 100, line);
            }
        }
    }

    static double value(String body, String series) {
        for (String line : body.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return Double.NaN;
    }

    static void assertValue(String body, String series, double expected) {
        double v = value(body, series);
        if (Double.isNaN(v)) {
            fail(series + " missing:\n" + body);
        }
        assertEquals(expected, v, 1e-9, series);
    }

    static void assertAbsent(String body, String series) {
        assertTrue(Double.isNaN(value(body, series)), series + " should be gone:\n" + body);
    }

    /** One failed tick: served, counted, last good values kept with their time. */
    void assertFailedTick(int failuresSoFar, double lastGoodWallSeconds) throws Exception {
        String s = scrape();
        assertValue(s, "sysload_sample_failures_total", failuresSoFar);
        assertValue(s, "sysload_sysload", 70);
        assertValue(s, "sysload_last_sample_timestamp_seconds", lastGoodWallSeconds);
    }

    /**
     * Step n, `seconds` after the last good reading, which was step n - seconds: the interval
     * is measured from that reading, so the values are exactly those of one good second.
     */
    void assertRecovered(int n, int seconds) throws Exception {
        double good = value(scrape(), "sysload_samples_total");
        step(n);
        String s = scrape();
        assertValue(s, "sysload_sysload", 70);
        assertValue(s, "sysload_cpu_percent{mode=\"idle\",}", 52.5);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        assertValue(s, "sysload_io_util{device=\"vda\",}", 25.0);
        assertValue(s, "sysload_proc_ctxt", 12000.0);
        assertValue(s, "sysload_samples_total", good + 1);
        assertValue(s, "sysload_last_sample_timestamp_seconds", steps.wall.get() / 1000.0);
    }

    double t1() {
        return (SteppedProc.T0_MILLIS + 1000) / 1000.0;
    }

    /** The health of one source as scraped: up, failures, skipped lines. */
    static void assertSource(String body, String source, int up, int failures, int skippedLines) {
        assertValue(body, "sysload_source_up{source=\"" + source + "\",}", up);
        assertValue(body, "sysload_source_failures_total{source=\"" + source + "\",}", failures);
        if (!source.equals("sysfs")) {
            assertValue(body, "sysload_source_skipped_lines_total{source=\"" + source + "\",}", skippedLines);
        }
    }

    /** A good sample whose disks are missing: CPU and NIC computed as usual, no io value. */
    void assertNoDiskInterval(int samples) throws Exception {
        String s = scrape();
        assertValue(s, "sysload_samples_total", samples);
        assertValue(s, "sysload_sysload", 70);
        assertValue(s, "sysload_cpu_percent{mode=\"idle\",}", 52.5);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        assertEquals(List.of(), valuesOf(s, "vda"), "no vda value in this interval");
        assertValue(s, "sysload_last_sample_timestamp_seconds", steps.wall.get() / 1000.0);
    }

    /** The lines of a device's values: its seconds counted so far are not values of an interval. */
    static List<String> valuesOf(String scrape, String device) {
        return scrape.lines()
                .filter(l -> l.contains("device=\"" + device + "\""))
                .filter(l -> !l.startsWith("sysload_driving_seconds_total")
                        && !l.startsWith("sysload_saturated_seconds_total"))
                .toList();
    }

    @Test
    void statVanishingFailsTheSampleDiskstatsVanishingOnlyItsPart() throws Exception {
        Files.delete(proc.resolve("stat"));
        tick(SECOND);
        assertFailedTick(1, t1());
        assertSource(scrape(), "stat", 0, 1, 0);
        // stat back, diskstats gone: a sample without disks (step 1 -> 3, over 2 s)
        steps.write(3);
        Files.delete(proc.resolve("diskstats"));
        tick(SECOND);
        assertNoDiskInterval(3);
        String s = scrape();
        assertSource(s, "stat", 1, 1, 0);
        assertSource(s, "diskstats", 0, 1, 0);
        assertValue(s, "sysload_proc_ctxt", 12000.0);
        // diskstats back: vda from its last good reading, step 1, 3 s ago: 750 ms in 3 s
        step(4);
        s = scrape();
        assertValue(s, "sysload_io_util{device=\"vda\",}", 25.0);
        assertSource(s, "diskstats", 1, 1, 0);
        assertRecovered(5, 1);
    }

    /** Root reads any file whatever its mode, so "unreadable" is made of what fails for root too. */
    @Test
    void unreadableFiles() throws Exception {
        Files.delete(proc.resolve("stat"));
        Files.createDirectory(proc.resolve("stat")); // read() fails: Is a directory
        tick(SECOND);
        assertFailedTick(1, t1());
        Files.delete(proc.resolve("stat"));
        Files.createSymbolicLink(proc.resolve("stat"), proc.resolve("gone")); // dangling
        tick(SECOND);
        assertFailedTick(2, t1());
        Files.delete(proc.resolve("stat"));
        assertRecovered(4, 3);

        steps.write(5);
        Files.delete(proc.resolve("diskstats"));
        Files.createDirectory(proc.resolve("diskstats"));
        tick(SECOND);
        assertNoDiskInterval(4);
        assertSource(scrape(), "diskstats", 0, 1, 0);
        Files.delete(proc.resolve("diskstats"));
        assertRecovered(6, 1);
        assertValue(scrape(), "sysload_sample_failures_total", 2);
    }

    void mutate(String file, java.util.function.UnaryOperator<String> f) throws IOException {
        Path p = proc.resolve(file);
        Files.writeString(p, f.apply(Files.readString(p)));
    }

    /** A good step whose one file is then broken. */
    void brokenStep(int n, String file, java.util.function.UnaryOperator<String> f, long elapsed) throws IOException {
        steps.write(n);
        mutate(file, f);
        tick(elapsed);
    }

    /**
     * A bad cpu line costs that CPU; intr and ctxt cut off cost their rates, which keep their
     * last value. cpu1 is eth0's group: missing from a reading, it is missing from the two
     * intervals that reading bounds, and the group keeps its last shares meanwhile.
     */
    @Test
    void truncatedAndShortLinesInStat() throws Exception {
        // cut in the middle of cpu1's line, as a read racing a short buffer would
        brokenStep(2, "stat", s -> s.substring(0, s.indexOf("cpu1") + 8), SECOND);
        String s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertSource(s, "stat", 1, 0, 1);
        assertValue(s, "sysload_cpu_percent{mode=\"idle\",}", 52.5); // the aggregate line is whole
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        assertValue(s, "sysload_sysload", 70);
        assertValue(s, "sysload_proc_ctxt", 12000.0);
        // a cpu line with too few fields
        brokenStep(3, "stat", x -> x.replaceFirst("(?m)^cpu0 (\\d+) (\\d+) (\\d+).*$", "cpu0 $1 $2 $3"), SECOND);
        s = scrape();
        assertSource(s, "stat", 1, 0, 2);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        // ctxt from its last reading, step 1, two seconds ago
        assertValue(s, "sysload_proc_ctxt", 12000.0);
        assertValue(s, "sysload_samples_total", 4);
        assertRecovered(4, 1);
    }

    /** A bad disk line costs that disk in that interval; the next one spans from its last reading. */
    @Test
    void truncatedAndShortLinesInDiskstats() throws Exception {
        brokenStep(2, "diskstats", s -> s.substring(0, s.indexOf("vda") + 12), SECOND);
        assertNoDiskInterval(3);
        assertSource(scrape(), "diskstats", 1, 0, 1);
        brokenStep(3, "diskstats", s -> s.replaceFirst(" 2359 2913 120 37536 233 4 0", ""), SECOND);
        assertNoDiskInterval(4);
        assertSource(scrape(), "diskstats", 1, 0, 2);
        step(4);
        assertValue(scrape(), "sysload_io_util{device=\"vda\",}", 25.0); // 750 ms in 3 s
        assertRecovered(5, 1);
    }

    /**
     * /proc/interrupts is read at start and every 10 s: the fault is put where it is read. A
     * bad line costs that IRQ's growth in that rescan (eth0 keeps its CPUs); the file
     * unreadable keeps them too, and is read again at the next tick.
     */
    @Test
    void truncatedShortAndMissingInterrupts() throws Exception {
        brokenStep(2, "interrupts", s -> s.substring(0, s.indexOf(" 38:") + 10), 10 * SECOND);
        String s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertSource(s, "interrupts", 1, 0, 1);
        assertValue(s, "sysload_nic_irq_cpus{device=\"eth0\",}", 1);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        assertValue(s, "sysload_sysload", 70);
        assertValue(s, "sysload_io_util{device=\"vda\",}", 2.5); // 250 ms in 10 s
        brokenStep(3, "interrupts", x -> x.replaceFirst("(?m)^ 38: +(\\d+) +(\\d+) .*$", " 38: $1"), 10 * SECOND);
        s = scrape();
        assertSource(s, "interrupts", 1, 0, 2);
        assertValue(s, "sysload_nic_irq_cpus{device=\"eth0\",}", 1);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        steps.write(4);
        Files.delete(proc.resolve("interrupts"));
        tick(10 * SECOND);
        s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertSource(s, "interrupts", 0, 1, 2);
        assertValue(s, "sysload_nic_irq_cpus{device=\"eth0\",}", 1);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        assertValue(s, "sysload_sysload", 70);
        step(5); // read again at once, and good
        s = scrape();
        assertSource(s, "interrupts", 1, 1, 2);
        assertRecovered(6, 1);
    }

    /**
     * Garbage in stat fails the sample (no aggregate cpu line); garbage in diskstats is lines
     * skipped: no disk this interval, and since a skipped line may have been any disk, every
     * disk keeps its last reading for the next interval.
     */
    @Test
    void garbageBytes() throws Exception {
        byte[] junk = new byte[4096];
        new Random(6).nextBytes(junk);
        steps.write(2);
        Files.write(proc.resolve("stat"), junk);
        tick(SECOND);
        assertFailedTick(1, t1());
        steps.write(3);
        Files.write(proc.resolve("diskstats"), junk);
        tick(SECOND);
        assertNoDiskInterval(3);
        String s = scrape();
        assertTrue(value(s, "sysload_source_skipped_lines_total{source=\"diskstats\",}") > 0, s);
        assertValue(s, "sysload_source_up{source=\"diskstats\",}", 1);
        steps.write(4);
        Files.write(proc.resolve("stat"), ("cpu  1 2 \u0000\u00ff 4 5 6 7\n").getBytes(StandardCharsets.ISO_8859_1));
        tick(SECOND);
        assertFailedTick(2, t1() + 2);
        step(5);
        // vda from step 1, the last reading that had it: 1000 ms in 4 s
        assertValue(scrape(), "sysload_io_util{device=\"vda\",}", 25.0);
        assertRecovered(6, 1);
    }

    /**
     * sysfs without block/ (a container that mounts only part of it): the NICs are still
     * found, no disk is watched and sysfs is down; once block/ is there, it is rescanned
     * within 10 s and the disks come.
     */
    @Test
    void sysfsWithoutBlockCostsTheDisksOnly(@TempDir Path sysfs) throws Exception {
        daemon.close();
        Files.createSymbolicLink(
                sysfs.resolve("class"), SteppedProc.SYSFS.resolve("class").toAbsolutePath());
        startOn(sysfs);
        String s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertValue(s, "sysload_sysload", 70);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        assertFalse(s.contains("device=\"vda\""), s);
        assertSource(s, "sysfs", 0, 1, 0);
        Files.createSymbolicLink(
                sysfs.resolve("block"), SteppedProc.SYSFS.resolve("block").toAbsolutePath());
        steps.write(2);
        tick(10 * SECOND); // rescanned: vda watched from here
        step(3);
        s = scrape();
        assertSource(s, "sysfs", 1, 1, 0);
        assertValue(s, "sysload_io_util{device=\"vda\",}", 25.0);
    }

    /**
     * cpu1, the CPU serving eth0, goes offline for one interval: its line leaves /proc/stat and
     * its time stops in the aggregate. The interval is measured on cpu0 alone; the NIC group,
     * with no CPU left to measure, keeps its last shares; nothing fails. Back online, its
     * counters go on from where they stopped.
     */
    @Test
    void cpuGoesOfflineAndComesBack() throws Exception {
        steps.write(2);
        // aggregate = cpu0 at step 2 + cpu1 frozen at step 1
        mutate(
                "stat",
                s -> s.replaceFirst("(?m)^cpu1 .*\\R", "")
                        .replaceFirst("(?m)^cpu  .*$", "cpu  1050 0 520 8180 100 0 50 0 0 0"));
        tick(SECOND);
        String s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertValue(s, "sysload_cpu_percent{mode=\"idle\",}", 75);
        assertValue(s, "sysload_cpu_percent{mode=\"user\",}", 20);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        assertValue(s, "sysload_sysload", 70);
        // back at step 3: cpu1 did step 2 and 3's work in this interval, cpu0 one step
        step(3);
        s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertValue(s, "sysload_si_cpu{mode=\"sintr\",}", 50);
        // all CPUs: cpu0 20u 5s 75i, cpu1 20u 20s 60i 100si over 300 ticks
        assertValue(s, "sysload_cpu_percent{mode=\"idle\",}", 135.0 / 300 * 100);
        assertValue(s, "sysload_sysload", 70);
    }

    @Test
    void diskRemovedAndReAdded() throws Exception {
        brokenStep(2, "diskstats", s -> s.replaceFirst("(?m)^ 254 .*\\R", ""), SECOND);
        String s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertAbsent(s, "sysload_io_util{device=\"vda\",}");
        assertEquals(List.of(), valuesOf(s, "vda"), "no stale vda value anywhere");
        // its seconds so far stay counted: counters never go back
        assertTrue(s.contains("sysload_driving_seconds_total{resource=\"io\",device=\"vda\",}"), s);
        // back: the first reading has nothing to be compared with, so still no value
        step(3);
        assertAbsent(scrape(), "sysload_io_util{device=\"vda\",}");
        step(4);
        s = scrape();
        assertValue(s, "sysload_io_util{device=\"vda\",}", 25);
        assertValue(s, "sysload_candidate_percent{resource=\"io\",device=\"vda\",}", 25);
    }

    @Test
    void countersWrapAt32And64Bits() throws Exception {
        long top32 = 1L << 32;
        // io_ticks is 32-bit on older kernels: 100 ms before the wrap, then 150 ms after it
        steps.write(2);
        mutate("diskstats", s -> s.replaceFirst(" 1264 2359", " " + (top32 - 100) + " 2359"));
        tick(SECOND);
        steps.write(3);
        mutate("diskstats", s -> s.replaceFirst(" 1514 2359", " 150 2359"));
        // ctxt as a 64-bit counter: 2^64 - 4000 then 8000
        mutate("stat", s -> s.replaceFirst("(?m)^ctxt .*$", "ctxt 18446744073709547616"));
        tick(SECOND);
        steps.write(4);
        mutate("diskstats", s -> s.replaceFirst(" 1764 2359", " 400 2359"));
        mutate("stat", s -> s.replaceFirst("(?m)^ctxt .*$", "ctxt 8000"));
        tick(SECOND);
        String s = scrape();
        assertValue(s, "sysload_sample_failures_total", 0);
        assertValue(s, "sysload_proc_ctxt", 12000);
        assertValue(s, "sysload_io_util{device=\"vda\",}", 25);
        assertValue(s, "sysload_sysload", 70);
    }

    @Test
    void counterResetIsNeverNegative() throws Exception {
        steps.write(2);
        mutate("stat", s -> s.replaceFirst("(?m)^ctxt .*$", "ctxt 5"));
        tick(SECOND);
        String s = scrape();
        assertValue(s, "sysload_proc_ctxt", 0);
        // counting on from the reset
        steps.write(3);
        mutate("stat", x -> x.replaceFirst("(?m)^ctxt .*$", "ctxt 12005"));
        tick(SECOND);
        assertValue(scrape(), "sysload_proc_ctxt", 12000);
    }

    /** The wall clock jumps an hour back, then a day forward; the monotonic clock goes on by 1 s. */
    @Test
    void wallClockJumpsDoNotBendRates() throws Exception {
        for (long jump : new long[] {-3_600_000L, 86_400_000L}) {
            steps.wall.addAndGet(jump);
            int n = jump < 0 ? 2 : 3;
            step(n);
            String s = scrape();
            assertValue(s, "sysload_io_util{device=\"vda\",}", 25);
            assertValue(s, "sysload_proc_ctxt", 12000);
            assertValue(s, "sysload_proc_intr", 5000);
            assertValue(s, "sysload_sysload", 70);
            assertValue(s, "sysload_sysload_one", 70);
            assertValue(s, "sysload_last_sample_timestamp_seconds", steps.wall.get() / 1000.0);
        }
    }
}
