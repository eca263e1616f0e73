package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the clock and the schedule: reads /proc once per interval on one thread, feeds the
 * calculator, and publishes one immutable {@link Published} that scrapes read without
 * locking. A failed reading is counted and logged, and the last good sample stays published.
 *
 * <p>/proc/interrupts is read only to find which CPUs serve the NICs: at the first two readings
 * (so the group is known from the second sample on), then every {@link #IRQ_RESCAN_NANOS},
 * since irqbalance moves IRQs. NICs and disks are detected again every
 * {@link #DETECT_NANOS}, so hot-plugged disks are followed.
 */
public final class Sampler implements AutoCloseable {
    static final long IRQ_RESCAN_NANOS = 10_000_000_000L;
    static final long DETECT_NANOS = 60_000_000_000L;
    private static final long FAILURE_LOG_NANOS = 60_000_000_000L;

    private final Logger log = LoggerFactory.getLogger(Sampler.class);
    private final ProcSource proc;
    private final Targets targets;
    private final SysloadCalculator calculator;
    private final LongSupplier monotonicNanos;
    private final LongSupplier wallMillis;
    private final Supplier<ProcessStats> processStats;
    private final long intervalNanos;
    private Thread thread;
    private volatile boolean stopping;

    private volatile Published published = Published.NOTHING_YET;

    // Sampler-thread state.
    private long samples;
    private long failures;
    private double lastSuccessSeconds;
    private Interrupts lastInterrupts;
    private long lastInterruptsNanos;
    private long lastDetectNanos;
    private boolean detected;
    private Map<String, Set<String>> nicIrqs = Map.of();
    private Set<String> disks = Set.of();
    private final Map<String, Set<Integer>> nicCpus = new HashMap<>();
    private boolean failing;
    private long streakStartFailures;
    private long lastFailureLogNanos;

    public Sampler(ProcSource proc, Targets targets, SysloadCalculator calculator, long intervalNanos,
                   LongSupplier monotonicNanos, LongSupplier wallMillis, Supplier<ProcessStats> processStats) {
        this.proc = proc;
        this.targets = targets;
        this.calculator = calculator;
        this.intervalNanos = intervalNanos;
        this.monotonicNanos = monotonicNanos;
        this.wallMillis = wallMillis;
        this.processStats = processStats;
    }

    /** The current state; never blocks. */
    public Published published() {
        return published;
    }

    /**
     * Starts sampling at a fixed rate on a daemon thread of its own. A plain thread that parks
     * until the next deadline wakes once per tick; a ScheduledExecutorService woke two or three
     * times, and each wake-up of an otherwise idle process costs more than the tick's work.
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "sysload-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopping) {
            tick();
            next += intervalNanos;
            long now = System.nanoTime();
            if (now - next > intervalNanos) {
                next = now; // suspended or starved: skip the missed ticks rather than burst
            }
            long wait;
            while (!stopping && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    @Override
    public synchronized void close() {
        stopping = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One sampling step. Runs on the sampler thread; tests call it directly to drive the
     * schedule with a clock of their own. Never throws: a fault is counted, not fatal.
     */
    public void tick() {
        long now = monotonicNanos.getAsLong();
        Sample sample;
        try {
            sample = read(now);
        } catch (IOException | ProcfsFormatException | RuntimeException e) {
            failed(now, e);
            return;
        }
        samples++;
        lastSuccessSeconds = wallMillis.getAsLong() / 1000.0;
        if (failing) {
            failing = false;
            log.info("sampling recovered after {} failed samples", failures - streakStartFailures);
        }
        Sample keep = sample != null ? sample : published.sample();
        published = new Published(keep, samples, failures, lastSuccessSeconds, processStats.get());
    }

    private Sample read(long now) throws IOException, ProcfsFormatException {
        boolean detectDue = !detected || now - lastDetectNanos >= DETECT_NANOS;
        boolean irqsDue = detectDue || samples < 2 || now - lastInterruptsNanos >= IRQ_RESCAN_NANOS;
        Interrupts irqs = irqsDue ? proc.interrupts() : null;
        if (detectDue) {
            disks = Set.copyOf(targets.disks());
            nicIrqs = Map.copyOf(targets.nicReceiveIrqs(irqs));
            lastDetectNanos = now;
            detected = true;
        }
        ProcStat stat = proc.stat();
        List<DiskStat> diskStats = proc.diskStats();

        // IRQ counts are taken only from a reading that succeeded as a whole, so a failed tick
        // cannot shorten or skew the next growth window.
        if (irqs != null) {
            updateIrqCpus(irqs);
            lastInterrupts = irqs;
            lastInterruptsNanos = now;
        }
        List<NicGroup> groups = new ArrayList<>(nicIrqs.size());
        for (String nic : nicIrqs.keySet()) {
            groups.add(new NicGroup(nic, nicCpus.getOrDefault(nic, Set.of())));
        }
        return calculator.next(new Reading(now, wallMillis.getAsLong(), stat, diskStats), groups, disks);
    }

    private void updateIrqCpus(Interrupts irqs) {
        nicCpus.keySet().retainAll(nicIrqs.keySet());
        if (lastInterrupts == null) {
            return;
        }
        for (Map.Entry<String, Set<String>> nic : nicIrqs.entrySet()) {
            Set<Integer> cpus = targets.servingCpus(lastInterrupts, irqs, nic.getValue());
            // Nothing grew (an idle NIC): keep the CPUs last seen serving it.
            if (!cpus.isEmpty()) {
                Set<Integer> before = nicCpus.put(nic.getKey(), Set.copyOf(cpus));
                if (!cpus.equals(before)) {
                    log.debug("{}: receive interrupts now served by CPUs {}", nic.getKey(), cpus);
                }
            }
        }
    }

    // Logged once when a streak starts, then at most once a minute while it lasts.
    private void failed(long now, Exception e) {
        failures++;
        String msg = describe(e);
        if (!failing) {
            failing = true;
            streakStartFailures = failures - 1;
            lastFailureLogNanos = now;
            log.warn("sample failed, serving the last good values: {}", msg);
        } else if (now - lastFailureLogNanos >= FAILURE_LOG_NANOS) {
            lastFailureLogNanos = now;
            log.warn("sampling still failing ({} failures in a row): {}", failures - streakStartFailures, msg);
        } else {
            log.debug("sample failed: {}", msg);
        }
        Published p = published;
        published = new Published(p.sample(), p.samplesTotal(), failures, p.lastSuccessSeconds(), processStats.get());
    }

    /** One line that names the file: a NoSuchFileException's message is the bare path. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
