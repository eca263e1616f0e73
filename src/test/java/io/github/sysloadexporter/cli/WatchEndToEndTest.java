package io.github.sysloadexporter.cli;

import static io.github.sysloadexporter.cli.SteppedProc.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.sysloadexporter.sysload.Sampler;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} over the end-to-end test's procfs and the virtio guest's sysfs, with clocks the
 * test drives: the daemon's sampler and calculator, the lines exactly as printed.
 */
class WatchEndToEndTest {

    @TempDir
    Path proc;

    Sampler sampler;

    @Test
    void oneLinePerGoodSampleNoneForAFailedReadingThenStopsAtTheCount() throws Exception {
        SteppedProc steps = new SteppedProc(proc);
        Config config = TestDaemon.config(proc, SteppedProc.SYSFS, List.of(), List.of());
        sampler = Daemon.sampler(config, steps.nanos::get, steps.wall::get);
        sampler.tick(); // the first reading: nothing to compare with, no line

        Printed printed = new Printed();
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
        printed.await(2);
        // /proc/stat truncated: the reading fails, the sample stays, no line.
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\n");
        steps.tick(SECOND, sampler);
        steps.step(2, sampler); // compared with step 1, over the 2 s since: vda 250 ms of I/O in 2 s
        watch.join(10_000);
        assertFalse(watch.isAlive(), "still watching after --count lines");

        // The end-to-end test's figures (see SteppedProc.write): sysload 70, driven by
        // eth0's group on CPU 1 (busy 70, irq+softirq+system 60); all CPUs 47.5; vda 25 %.
        assertEquals(
                "time     sysload    1m    5m   15m   cpu si_nic si_cpus si_busy si_irq   vda drives\n"
                        + "16:00:01    70.0  70.0  70.0  70.0  47.5 eth0   1          70.0   60.0  25.0 si_cpu:eth0\n"
                        + "16:00:03    70.0  70.0  70.0  70.0  47.5 eth0   1          70.0   60.0  12.5 si_cpu:eth0\n",
                printed.toString());
    }

    /** What watch prints, kept whole, and each line handed over as it ends, for the test to wait on. */
    static final class Printed extends Writer {
        private final StringBuilder all = new StringBuilder();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private int lineStart;

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                all.append(chars[i]);
                if (chars[i] == '\n') {
                    lines.add(all.substring(lineStart));
                    lineStart = all.length();
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        /** Waits for the next {@code n} lines, each for up to 10 s: watch runs on a thread of its own. */
        void await(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                assertNotNull(
                        lines.poll(10, TimeUnit.SECONDS), "line " + (i + 1) + " of " + n + " not printed:\n" + this);
            }
        }

        @Override
        public synchronized String toString() {
            return all.toString();
        }
    }
}
