package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.sysload.Sampler;
import io.github.sysloadexporter.testing.Fixtures;
import io.github.sysloadexporter.testing.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The end-to-end tests' host: a procfs the test writes step by step ({@link #write}), the
 * virtio guest's sysfs fixture, and the clocks the test drives: each tick moves both clocks
 * by the time given, then ticks the sampler.
 */
final class SteppedProc {
    static final long SECOND = 1_000_000_000L;
    static final Path SYSFS = Fixtures.sysfs("virtio-2cpu");
    /** The wall clock at step 0. */
    static final long T0_MILLIS = 1_764_000_000_000L;
    /**
     * What the daemon serves over this host after step 1, less the lines that depend on the
     * JVM: EndToEndTest's expected output, rewritten with -De2e.update=true.
     */
    static final Path METRICS = Repository.path("src/test/resources/e2e/metrics.txt");

    final Path dir;
    final AtomicLong nanos = new AtomicLong(5 * SECOND);
    final AtomicLong wall = new AtomicLong(T0_MILLIS);

    /** Writes step 0's files into {@code dir}. */
    SteppedProc(Path dir) throws IOException {
        this.dir = dir;
        write(0);
    }

    /**
     * Writes the files of a step, without a tick. Each step is one second of a 2-CPU virtio
     * guest; from one step to the next, by hand: cpu0 spends 20
     * user, 5 system, 75 idle ticks; cpu1 10 user, 10 system, 30 idle, 50 softirq: all CPUs are
     * user 15, system 7.5, idle 52.5, sintr 25 (busy 47.5). eth0's receive IRQ 38
     * (virtio2-input.0) grew on CPU1 only, so si_cpu is cpu1: system 10, sintr 50 (share 60 >
     * 40), busy 70. vda did 250 ms of I/O: 25 %. intr +5000 and ctxt +12000 in 1 s.
     * sysload = max(47.5, 70, 25) = 70.
     */
    void write(int step) throws IOException {
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

    /** Writes step n's files and ticks one second later. */
    void step(int n, Sampler sampler) throws IOException {
        write(n);
        tick(SECOND, sampler);
    }

    void tick(long elapsedNanos, Sampler sampler) {
        nanos.addAndGet(elapsedNanos);
        wall.addAndGet(elapsedNanos / 1_000_000);
        sampler.tick();
    }
}
