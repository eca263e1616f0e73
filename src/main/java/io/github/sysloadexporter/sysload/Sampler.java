package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.ProcSource;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the clock and the schedule: reads /proc once per interval on one thread, feeds the
 * calculator, and publishes one immutable {@link Published} that scrapes read without
 * locking. What it reads it asks of three helpers: {@link Targets} what to watch,
 * {@link NicCpuTracker} which CPUs serve each NIC, {@link Health} how each source fared.
 *
 * <p>Each source fails alone and costs only what it describes (README, "When something
 * fails"): /proc/stat unusable fails the sample, which is counted while the last good one
 * stays published; /proc/diskstats unreadable leaves that interval without disks;
 * /proc/interrupts unreadable keeps the NICs' last CPUs; a failed sysfs scan keeps the last
 * targets. NICs and disks are detected again every {@link #DETECT_NANOS}, so hot-plugged
 * devices are followed; after a failed scan, every {@link #RETRY_NANOS}. What is watched is
 * told at the second reading, when the NICs' CPUs are known, then whenever it changes
 * ({@link InventoryLog}).
 */
public final class Sampler implements AutoCloseable {
    static final long DETECT_NANOS = 60_000_000_000L;
    static final long RETRY_NANOS = 10_000_000_000L;

    private final Health health;
    private final InventoryLog inventory;
    private final NicCpuTracker nics;
    private final ProcSource proc;
    private final Targets targets;
    private final SysloadCalculator calculator;
    private final LongSupplier monotonicNanos;
    private final LongSupplier wallMillis;
    private final long intervalNanos;
    private Thread thread;
    private volatile boolean stopping;

    private volatile Published published = Published.NOTHING_YET;
    // Wakes awaitNext; scrapes never take it.
    private final Object publication = new Object();

    // Sampler-thread state.
    private long samples;
    private long failures;
    private double lastSuccessSeconds;
    private long lastDetectNanos;
    private boolean detected;
    /** The NICs were scanned, their lines not yet tied (/proc/interrupts unreadable since). */
    private boolean tieDue;

    private int readsBeforeInventory = 2;
    private Set<String> disks = Set.of();

    public Sampler(
            ProcSource proc,
            Targets targets,
            SysloadCalculator calculator,
            long intervalNanos,
            LongSupplier monotonicNanos,
            LongSupplier wallMillis) {
        this(
                proc,
                targets,
                calculator,
                intervalNanos,
                monotonicNanos,
                wallMillis,
                LoggerFactory.getLogger(Sampler.class));
    }

    /** As above, logging to {@code log}: for the tests of what it logs. */
    Sampler(
            ProcSource proc,
            Targets targets,
            SysloadCalculator calculator,
            long intervalNanos,
            LongSupplier monotonicNanos,
            LongSupplier wallMillis,
            Logger log) {
        this.health = new Health(log);
        this.inventory = new InventoryLog(log);
        this.nics = new NicCpuTracker(log, inventory);
        this.proc = proc;
        this.targets = targets;
        this.calculator = calculator;
        this.intervalNanos = intervalNanos;
        this.monotonicNanos = monotonicNanos;
        this.wallMillis = wallMillis;
    }

    /** The current state; never blocks. */
    public Published published() {
        return published;
    }

    /**
     * Waits until a state other than {@code seen} is published, or {@code timeoutNanos} pass,
     * and returns the current one: for a reader of every interval ({@code watch}), where a
     * scrape takes whatever is current from {@link #published()}.
     */
    public Published awaitNext(Published seen, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (publication) {
            Published p;
            while ((p = published) == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(publication, left);
            }
            return p;
        }
    }

    private void publish(Published p) {
        published = p;
        synchronized (publication) {
            publication.notifyAll();
        }
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
        } catch (StatUnusable | RuntimeException e) {
            if (e instanceof RuntimeException r) {
                health.internal(now, r);
            }
            failures++;
            publish(new Published(published.sample(), samples, failures, lastSuccessSeconds, health.snapshot()));
            return;
        }
        samples++;
        lastSuccessSeconds = wallMillis.getAsLong() / 1000.0;
        Sample keep = sample != null ? sample : published.sample();
        publish(new Published(keep, samples, failures, lastSuccessSeconds, health.snapshot()));
    }

    /** /proc/stat could not be used; already counted and logged as the source's failure. */
    private static final class StatUnusable extends Exception {
        private static final long serialVersionUID = 1L;

        StatUnusable() {
            super(null, null, false, false);
        }
    }

    private Sample read(long now) throws StatUnusable {
        ProcStat stat;
        try {
            stat = proc.stat();
        } catch (IOException | ProcfsFormatException | RuntimeException e) {
            health.failed(Source.STAT, now, e, "sample failed, serving the last good values: ");
            throw new StatUnusable();
        }
        health.read(Source.STAT, now, stat.skipped());
        detectIfDue(now);
        readInterruptsIfDue(now);
        // At the second reading the NICs' CPUs are known (where their IRQs grew): say what is watched.
        if (!inventory.started() && --readsBeforeInventory == 0) {
            inventory.start(nics.lines(), nics.cpus(), disks, now);
        }
        Optional<DiskStats> diskStats;
        try {
            DiskStats d = proc.diskStats();
            health.read(Source.DISKSTATS, now, d.skipped());
            diskStats = Optional.of(d);
        } catch (IOException | RuntimeException e) {
            health.failed(Source.DISKSTATS, now, e, "no disk values this interval: ");
            diskStats = Optional.empty();
        }
        return calculator.next(new Reading(now, wallMillis.getAsLong(), stat, diskStats), nics.groups(), disks);
    }

    /** Scans sysfs when due; a part that fails keeps what it found last. */
    private void detectIfDue(long now) {
        long every = health.up(Source.SYSFS) ? DETECT_NANOS : RETRY_NANOS;
        if (detected && now - lastDetectNanos < every) {
            return;
        }
        Exception nicsFailed = null;
        try {
            targets.rescanNics();
            tieDue = true;
        } catch (IOException | RuntimeException e) {
            nicsFailed = e;
        }
        Exception disksFailed = null;
        try {
            Set<String> found = Set.copyOf(targets.disks());
            inventory.disks(disks, found);
            disks = found;
        } catch (IOException | RuntimeException e) {
            disksFailed = e;
        }
        health.scanned(now, nicsFailed, disksFailed);
        detected = true;
        lastDetectNanos = now;
    }

    /**
     * Reads /proc/interrupts: for the names of its lines after a NIC scan, to tie them to the
     * NICs; for the counts of those lines when the tracker wants them. Unreadable: read again
     * at the next tick, the NICs keeping their lines and CPUs meanwhile.
     */
    private void readInterruptsIfDue(long now) {
        if (!tieDue && !nics.due(now)) {
            return;
        }
        Interrupts irqs;
        try {
            if (tieDue) {
                nics.tie(targets.nicReceiveLines(proc.interrupts(IrqFilter.NONE)), now);
                tieDue = false;
            }
            irqs = proc.interrupts(nics.counted());
            nics.read(irqs, now);
        } catch (IOException | ProcfsFormatException | RuntimeException e) {
            // a RuntimeException is a fault of the exporter's own on this file: it costs the
            // NICs' CPUs, not the sample
            health.failed(Source.INTERRUPTS, now, e, "keeping the NICs' last known CPUs: ");
            return;
        }
        health.read(Source.INTERRUPTS, now, irqs.skipped());
    }
}
