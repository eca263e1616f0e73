package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.sysloadexporter.sysload.ProcessStats;
import io.github.sysloadexporter.sysload.Sampler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} over the end-to-end test's procfs and the virtio guest's sysfs, with clocks the
 * test drives: the daemon's sampler and calculator, the lines exactly as printed.
 */
class WatchEndToEndTest {
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path proc;

    Sampler sampler;

    @Test
    void oneLinePerGoodSampleNoneForAFailedReadingThenStopsAtTheCount() throws Exception {
        SteppedProc steps = new SteppedProc(proc);
        Config config = TestDaemon.config(proc, EndToEndTest.SYSFS, List.of(), List.of());
        sampler = Daemon.sampler(config, steps.nanos::get, steps.wall::get, () -> ProcessStats.UNKNOWN);
        sampler.tick(); // the first reading: nothing to compare with, no line

        StringWriter printed = new StringWriter();
        PrintWriter out = new PrintWriter(printed);
        WatchView view = new WatchView(ZoneOffset.UTC, false, 0);
        Thread watch = new Thread(() -> {
            try {
                Watch.show(sampler, view, out, 2, SECOND / 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watch.start();

        steps.step(1, sampler);
        awaitLines(printed, 2);
        // /proc/stat truncated: the reading fails, the sample stays, no line.
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\n");
        steps.tick(SECOND, sampler);
        steps.step(2, sampler); // compared with step 1, over the 2 s since: vda 250 ms of I/O in 2 s
        watch.join(10_000);
        assertFalse(watch.isAlive(), "still watching after --count lines");

        // The end-to-end test's figures (see EndToEndTest.writeProc): sysload 70, driven by
        // eth0's group on CPU 1 (busy 70, irq+softirq+system 60); all CPUs 47.5; vda 25 %.
        assertEquals(
                "time     sysload    1m    5m   15m   cpu si_nic si_cpus si_busy si_irq   vda drives\n"
                        + "16:00:01    70.0  70.0  70.0  70.0  47.5 eth0   1          70.0   60.0  25.0 si_cpu:eth0\n"
                        + "16:00:03    70.0  70.0  70.0  70.0  47.5 eth0   1          70.0   60.0  12.5 si_cpu:eth0\n",
                printed.toString());
    }

    static void awaitLines(StringWriter printed, int lines) throws InterruptedException {
        long deadline = System.nanoTime() + 10 * SECOND;
        while (printed.toString().lines().count() < lines && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(lines, printed.toString().lines().count(), printed.toString());
    }
}
