package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.ProcSource;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.procfs.Skipped;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the clock and the schedule: reads /proc once per interval on one thread, feeds the
 * calculator, and publishes one immutable {@link Published} that scrapes read without
 * locking.
 *
 * <p>Each source fails alone and costs only what it describes (SPEC section 5): /proc/stat
 * unusable fails the sample, which is counted while the last good one stays published;
 * /proc/diskstats unreadable leaves that interval without disks; /proc/interrupts unreadable
 * keeps the NICs' last CPU groups; a failed sysfs scan keeps the last targets. A line that
 * cannot be parsed is skipped by its parser and counted here. Every problem is logged once,
 * then at most once a minute, and its end once. What is watched is logged at the second
 * reading, when the NICs' CPUs are known, then whenever it changes ({@link WatchLog}).
 *
 * <p>/proc/interrupts is read only to find which CPUs serve the NICs: at the first two readings
 * (so the group is known from the second sample on), then every {@link #IRQ_RESCAN_NANOS},
 * since irqbalance moves IRQs. NICs and disks are detected again every
 * {@link #DETECT_NANOS}, so hot-plugged disks are followed; after a failed scan, sooner.
 */
public final class Sampler implements AutoCloseable {
    static final long IRQ_RESCAN_NANOS = 10_000_000_000L;
    static final long DETECT_NANOS = 60_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final String SYSFS_NET = "sysfs class/net";
    private static final String SYSFS_BLOCK = "sysfs block";

    private final Logger log;
    private final ProblemLog problems;
    private final WatchLog watch;
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
    // Wakes awaitNext; scrapes never take it.
    private final Object publication = new Object();

    // Sampler-thread state.
    private long samples;
    private long failures;
    private double lastSuccessSeconds;
    private final EnumMap<Source, SourceHealth> health = new EnumMap<>(Source.class);
    private Interrupts lastInterrupts;
    private long lastInterruptsNanos;
    private int interruptReads;
    private long lastDetectNanos;
    private boolean detected;
    private int readsBeforeInventory = 2;
    private Targets.NicWatch nicWatch = Targets.NicWatch.NONE;
    private boolean nicIrqsStale;
    private Map<String, Set<String>> nicIrqs = Map.of();
    private Set<String> watchedIrqs = Set.of();
    private Set<String> disks = Set.of();
    private final Map<String, Set<Integer>> nicCpus = new HashMap<>();

    public Sampler(
            ProcSource proc,
            Targets targets,
            SysloadCalculator calculator,
            long intervalNanos,
            LongSupplier monotonicNanos,
            LongSupplier wallMillis,
            Supplier<ProcessStats> processStats) {
        this(
                proc,
                targets,
                calculator,
                intervalNanos,
                monotonicNanos,
                wallMillis,
                processStats,
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
            Supplier<ProcessStats> processStats,
            Logger log) {
        this.log = log;
        this.problems = new ProblemLog(log, LOG_INTERVAL_NANOS);
        this.watch = new WatchLog(log);
        this.proc = proc;
        this.targets = targets;
        this.calculator = calculator;
        this.intervalNanos = intervalNanos;
        this.monotonicNanos = monotonicNanos;
        this.wallMillis = wallMillis;
        this.processStats = processStats;
        for (Source s : Source.values()) {
            health.put(s, SourceHealth.FRESH);
        }
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
            if (e instanceof RuntimeException) {
                problems.problem("internal", now, "sample failed on a fault of the exporter: " + e);
            }
            failures++;
            publish(new Published(
                    published.sample(), samples, failures, lastSuccessSeconds, processStats.get(), health));
            return;
        }
        samples++;
        lastSuccessSeconds = wallMillis.getAsLong() / 1000.0;
        Sample keep = sample != null ? sample : published.sample();
        publish(new Published(keep, samples, failures, lastSuccessSeconds, processStats.get(), health));
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
            failed(Source.STAT, now, e, "sample failed, serving the last good values: ");
            throw new StatUnusable();
        }
        read(Source.STAT, now, stat.skipped());
        detectIfDue(now);
        readInterruptsIfDue(now);
        // At the second reading the NICs' CPUs are known (where their IRQs grew): say what is watched.
        if (!watch.started() && --readsBeforeInventory == 0) {
            watch.start(nicIrqs, nicCpus, disks, now);
        }
        Optional<DiskStats> diskStats;
        try {
            DiskStats d = proc.diskStats();
            read(Source.DISKSTATS, now, d.skipped());
            diskStats = Optional.of(d);
        } catch (IOException | RuntimeException e) {
            failed(Source.DISKSTATS, now, e, "no disk values this interval: ");
            diskStats = Optional.empty();
        }
        List<NicGroup> groups = new ArrayList<>(nicIrqs.size());
        for (String nic : nicIrqs.keySet()) {
            groups.add(new NicGroup(nic, nicCpus.getOrDefault(nic, Set.of())));
        }
        return calculator.next(new Reading(now, wallMillis.getAsLong(), stat, diskStats), groups, disks);
    }

    /** Scans sysfs when due; a part that fails keeps what it found last. */
    private void detectIfDue(long now) {
        long every = health.get(Source.SYSFS).up() ? DETECT_NANOS : IRQ_RESCAN_NANOS;
        if (detected && now - lastDetectNanos < every) {
            return;
        }
        // One scan, one failure counted however many of its parts fail; each part logged apart.
        boolean ok = true;
        try {
            nicWatch = targets.nics();
            nicIrqsStale = true;
            problems.over(SYSFS_NET, "network interfaces rescanned again");
        } catch (IOException | RuntimeException e) {
            ok = false;
            problems.problem(SYSFS_NET, now, "network interfaces not rescanned, keeping the last ones: " + describe(e));
        }
        try {
            Set<String> found = Set.copyOf(targets.disks());
            watch.disks(disks, found);
            disks = found;
            problems.over(SYSFS_BLOCK, "block devices rescanned again");
        } catch (IOException | RuntimeException e) {
            ok = false;
            problems.problem(SYSFS_BLOCK, now, "block devices not rescanned, keeping the last ones: " + describe(e));
        }
        SourceHealth h = health.get(Source.SYSFS);
        health.put(
                Source.SYSFS,
                ok
                        ? new SourceHealth(true, h.failures(), h.skippedLines())
                        : new SourceHealth(false, h.failures() + 1, h.skippedLines()));
        detected = true;
        lastDetectNanos = now;
    }

    /**
     * Reads /proc/interrupts when due: to tie fresh NICs to their lines, for the first two
     * readings, and every rescan. Unreadable: the NICs keep their lines and CPU groups.
     */
    private void readInterruptsIfDue(long now) {
        if (!nicIrqsStale && interruptReads >= 2 && now - lastInterruptsNanos < IRQ_RESCAN_NANOS) {
            return;
        }
        Interrupts irqs;
        try {
            irqs = proc.interrupts(nicIrqsStale ? nicWatch : IrqFilter.labels(watchedIrqs));
        } catch (IOException | ProcfsFormatException | RuntimeException e) {
            failed(Source.INTERRUPTS, now, e, "keeping the NICs' last known CPUs: ");
            return;
        }
        try {
            if (nicIrqsStale) {
                // in the scan's order (-i order): of NICs whose groups are alike, the first is si_cpu's
                Map<String, Set<String>> before = nicIrqs;
                nicIrqs = Collections.unmodifiableMap(new LinkedHashMap<>(nicWatch.receiveIrqs(irqs)));
                watch.nics(before, nicIrqs, now);
                Set<String> all = new HashSet<>();
                nicIrqs.values().forEach(all::addAll);
                if (!watchedIrqs.containsAll(all)) {
                    // lines new to the watch had no counts kept: read again at the next tick
                    // rather than wait a rescan for their growth
                    interruptReads = 0;
                }
                watchedIrqs = Set.copyOf(all);
                nicIrqsStale = false;
            }
            updateIrqCpus(irqs, now);
        } catch (RuntimeException e) {
            // a fault of the exporter's own on this file: it costs the NIC groups, not the sample
            failed(Source.INTERRUPTS, now, e, "keeping the NICs' last known CPUs: ");
            return;
        }
        read(Source.INTERRUPTS, now, irqs.skipped());
        lastInterrupts = irqs;
        lastInterruptsNanos = now;
        interruptReads++;
    }

    private void updateIrqCpus(Interrupts irqs, long now) {
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
            watch.cpus(nic.getKey(), nicCpus.getOrDefault(nic.getKey(), Set.of()), now);
        }
    }

    /** A source read or scanned as a whole; its skipped lines, if any, counted and reported. */
    private void read(Source source, long now, Skipped skipped) {
        SourceHealth h = health.get(source);
        if (!h.up()) {
            problems.over(
                    source.label(), source.label() + " readable again (" + h.failures() + " failures since start)");
        }
        if (skipped.count() > 0) {
            problems.problem(
                    "skipped " + source.label(),
                    now,
                    "skipped " + skipped.count() + " unparsable line(s), the rest of the file counts: "
                            + skipped.first().get(0).getMessage());
            // At debug each line, as far as the parser kept them (a file of garbage keeps a few).
            for (ProcfsFormatException line : skipped.first()) {
                log.debug("line skipped: {}", line.getMessage());
            }
            if (skipped.count() > skipped.first().size()) {
                log.debug(
                        "{} more line(s) of {} skipped, not kept",
                        skipped.count() - skipped.first().size(),
                        source.label());
            }
        }
        health.put(source, new SourceHealth(true, h.failures(), h.skippedLines() + skipped.count()));
    }

    private void failed(Source source, long now, Exception e, String consequence) {
        SourceHealth h = health.get(source);
        health.put(source, new SourceHealth(false, h.failures() + 1, h.skippedLines()));
        problems.problem(source.label(), now, consequence + describe(e));
    }

    /** One line that names the file: a NoSuchFileException's message is the bare path. */
    public static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
