package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.Counters;
import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.ProcStat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sysload formula. Pure: it is handed readings and the time they were taken, does no
 * I/O and reads no clock, so every case can be computed by hand in a test.
 *
 * <pre>
 * sysload = max( all-CPU busy%,
 *                NIC-IRQ CPUs busy%   if their irq% + softirq% + system% > threshold,
 *                io_util% of every watched disk )
 * busy%    = 100 - idle%, shares over user+nice+system+idle+iowait+irq+softirq
 * io_util% = delta(diskstats field 13, ms doing I/O) / elapsed ms * 100, capped at 100
 * </pre>
 *
 * A counter missing from one reading (its line skipped, diskstats unreadable) is missing from
 * that interval only: the next interval spans from its last good reading.
 *
 * Not thread-safe: one sampler thread owns it.
 */
public final class SysloadCalculator {
    private final double interruptThreshold;
    private final History history;
    private final SecondsTally seconds;

    private Reading previous;
    private CpuModes lastCpu = CpuModes.ALL_IDLE;
    private Map<String, CpuModes> lastGroupModes = Map.of();
    private Map<String, Double> lastIoUtil = Map.of();
    // The last good reading of each counter, so that one missing reading (a skipped line, an
    // unreadable file) costs only the interval it ends: the next one spans from the mark.
    private Rate ctxt = Rate.NONE;
    private Rate intr = Rate.NONE;
    private final Map<String, Mark> diskMarks = new HashMap<>();

    /** A counter's value and when it was read. */
    private record Mark(long value, long nanos) {}

    /** A counter's last good reading (null before the first) and its last per-second rate. */
    private record Rate(Mark mark, double perSecond) {
        static final Rate NONE = new Rate(null, 0);
    }

    /**
     * @param interruptThreshold percent (0..100) of irq+softirq+system above which the NIC-IRQ
     *                           CPU group becomes a candidate
     * @param saturationThreshold percent (0..100) at or above which a candidate's seconds count
     *                            as saturated
     * @param intervalNanos      the sampling interval, which sizes the 15-minute history
     */
    public SysloadCalculator(double interruptThreshold, double saturationThreshold, long intervalNanos) {
        this.interruptThreshold = interruptThreshold;
        this.history = new History(intervalNanos);
        this.seconds = new SecondsTally(saturationThreshold);
    }

    /**
     * Takes the next reading. Returns the sample of the interval that ends with it, or null
     * for the very first reading, which has nothing to be compared with.
     *
     * @param nics  the watched NICs with their current receive-IRQ CPUs
     * @param disks the watched disks; a disk missing from the reading is not reported
     */
    public Sample next(Reading now, Collection<NicGroup> nics, Set<String> disks) {
        Reading prev = previous;
        previous = now;
        long t = now.monotonicNanos();
        // Marks move on every reading, the first included.
        Map<String, Double> io = ioUtil(now, disks);
        ctxt = rate(ctxt, now.stat().contextSwitches(), t);
        intr = rate(intr, now.stat().interrupts(), t);
        if (prev == null) {
            return null;
        }

        // All CPUs. No tick between the reads: keep the previous shares.
        CpuModes cpu = orElse(CpuMath.modes(prev.stat().total(), now.stat().total()), lastCpu);
        lastCpu = cpu;

        // The NIC-IRQ group: of several NICs, the one whose CPUs have the most softirq.
        String siNic = "";
        CpuModes si = cpu;
        Map<String, SortedSet<Integer>> nicCpus = new TreeMap<>();
        Map<String, CpuModes> groupModes = new HashMap<>();
        for (NicGroup nic : nics) {
            nicCpus.put(nic.nic(), new TreeSet<>(nic.cpus()));
            CpuModes m = groupModes(prev.stat(), now.stat(), nic.cpus(), cpu);
            m = orElse(m, lastGroupModes.getOrDefault(nic.nic(), cpu));
            groupModes.put(nic.nic(), m);
            if (siNic.isEmpty() || m.sintr() > si.sintr()) {
                siNic = nic.nic();
                si = m;
            }
        }
        lastGroupModes = groupModes;
        double siCandidate = si.interruptShare() > interruptThreshold ? si.busy() : 0;

        List<Candidate> candidates = new ArrayList<>(2 + io.size());
        candidates.add(new Candidate(Candidate.CPU, "", cpu.busy()));
        candidates.add(new Candidate(Candidate.SI_CPU, siNic, siCandidate));
        double sysload = Math.max(cpu.busy(), siCandidate);
        for (Map.Entry<String, Double> e : io.entrySet()) {
            candidates.add(new Candidate(Candidate.IO, e.getKey(), e.getValue()));
            sysload = Math.max(sysload, e.getValue());
        }
        sysload = Percent.clamp(sysload);

        history.add(t, sysload);
        Sample.Sysload load = new Sample.Sysload(
                sysload,
                history.mean(t, History.ONE_MINUTE_NANOS),
                history.mean(t, History.FIVE_MINUTES_NANOS),
                history.mean(t, History.FIFTEEN_MINUTES_NANOS));
        return new Sample(
                now.wallMillis(),
                load,
                cpu,
                new Sample.SiCpu(siNic, si),
                candidates,
                io,
                nicCpus,
                new Sample.Rates(ctxt.perSecond(), intr.perSecond()),
                // the seconds since the previous good reading, which this sample covers
                seconds.add(sysload, candidates, Math.max(0, t - prev.monotonicNanos()) / 1e9));
    }

    /**
     * A group that is empty (not known yet) or covers every online CPU is the aggregate line.
     * Null when no tick passed on its CPUs.
     */
    private static CpuModes groupModes(ProcStat prev, ProcStat now, Set<Integer> cpus, CpuModes all) {
        // Every CPU of both readings: a CPU whose line was skipped in one is still online.
        if (cpus.isEmpty()
                || cpus.containsAll(now.perCpu().keySet())
                        && cpus.containsAll(prev.perCpu().keySet())) {
            return all;
        }
        return CpuMath.groupModes(prev.perCpu(), now.perCpu(), cpus);
    }

    /**
     * Each watched disk's utilisation since its last good reading. No diskstats this tick: no
     * disk value, marks kept. A disk gone from a reading loses its mark (it was removed; if it
     * comes back its counters start again), unless its line was only skipped. No time elapsed
     * since the mark: the previous value is kept.
     */
    private Map<String, Double> ioUtil(Reading now, Set<String> watched) {
        Map<String, Double> util = new TreeMap<>();
        if (now.disks().isEmpty()) {
            lastIoUtil = util;
            return util;
        }
        DiskStats stats = now.disks().get();
        long t = now.monotonicNanos();
        Set<String> present = new HashSet<>();
        for (DiskStat d : stats.disks()) {
            present.add(d.name());
            Mark m = diskMarks.get(d.name());
            if (m != null && t <= m.nanos()) {
                Double kept = lastIoUtil.get(d.name());
                if (kept != null && watched.contains(d.name())) {
                    util.put(d.name(), kept);
                }
                continue;
            }
            // A disk that just appeared has no interval yet.
            if (m != null && watched.contains(d.name())) {
                double elapsedMs = (t - m.nanos()) / 1e6;
                util.put(d.name(), Percent.clamp(Counters.delta(m.value(), d.ioTicksMs()) / elapsedMs * 100.0));
            }
            diskMarks.put(d.name(), new Mark(d.ioTicksMs(), t));
        }
        // A skipped line whose name could not be read may have been any disk: keep every mark.
        if (stats.skipped().count() == stats.skippedNames().size()) {
            diskMarks
                    .keySet()
                    .removeIf(n -> !present.contains(n) && !stats.skippedNames().contains(n));
        }
        lastIoUtil = util;
        return util;
    }

    /**
     * Moves a counter's mark to this reading, with its per-second rate since the last one.
     * Missing this reading (its line skipped), or no time elapsed: the mark and rate stay.
     */
    private static Rate rate(Rate last, OptionalLong value, long t) {
        Mark mark = last.mark();
        if (value.isEmpty() || (mark != null && t <= mark.nanos())) {
            return last;
        }
        double perSecond = mark == null
                ? last.perSecond()
                : Counters.delta(mark.value(), value.getAsLong()) / ((t - mark.nanos()) / 1e9);
        return new Rate(new Mark(value.getAsLong(), t), perSecond);
    }

    private static CpuModes orElse(CpuModes m, CpuModes fallback) {
        return m != null ? m : fallback;
    }
}
