package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.sysload.Sampler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The end-to-end procfs a test writes ({@link EndToEndTest#writeProc}) and the clocks it
 * drives: each tick moves both clocks by the time given, then ticks the sampler.
 */
final class SteppedProc {
    static final long SECOND = 1_000_000_000L;

    final Path dir;
    final AtomicLong nanos = new AtomicLong(5 * SECOND);
    final AtomicLong wall = new AtomicLong(EndToEndTest.T0_MILLIS);

    /** Writes step 0's files into {@code dir}. */
    SteppedProc(Path dir) throws IOException {
        this.dir = dir;
        EndToEndTest.writeProc(dir, 0);
    }

    /** Writes step n's files and ticks one second later. */
    void step(int n, Sampler sampler) throws IOException {
        EndToEndTest.writeProc(dir, n);
        tick(SECOND, sampler);
    }

    void tick(long elapsedNanos, Sampler sampler) {
        nanos.addAndGet(elapsedNanos);
        wall.addAndGet(elapsedNanos / 1_000_000);
        sampler.tick();
    }
}
