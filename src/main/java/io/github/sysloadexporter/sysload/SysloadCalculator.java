package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.ProcStat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * Not thread-safe: one sampler thread owns it.
 */
public final class SysloadCalculator {
    private final double interruptThreshold;
    private final History history;

    private Reading previous;
    private CpuModes lastCpu = CpuModes.ALL_IDLE;
    private Map<String, CpuModes> lastGroupModes = Map.of();
    private Map<String, Double> lastIoUtil = Map.of();
    private double lastCtxtRate;
    private double lastIntrRate;

    /**
     * @param interruptThreshold percent (0..100) of irq+softirq+system above which the NIC-IRQ
     *                           CPU group becomes a candidate
     * @param intervalNanos      the sampling interval, which sizes the 15-minute history
     */
    public SysloadCalculator(double interruptThreshold, long intervalNanos) {
        this.interruptThreshold = interruptThreshold;
        this.history = new History(intervalNanos);
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
        if (prev == null) {
            return null;
        }
        long elapsedNanos = now.monotonicNanos() - prev.monotonicNanos();

        // All CPUs. No tick between the reads: keep the previous shares.
        CpuModes cpu = orElse(CpuMath.modes(prev.stat().total(), now.stat().total()), lastCpu);
        lastCpu = cpu;

        // The NIC-IRQ group: of several NICs, the one whose CPUs have the most softirq.
        String siNic = "";
        CpuModes si = cpu;
        Map<String, Integer> nicCpus = new TreeMap<>();
        Map<String, CpuModes> groupModes = new HashMap<>();
        for (NicGroup nic : nics) {
            nicCpus.put(nic.nic(), nic.cpus().size());
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

        // Disks. No time elapsed: keep the previous values.
        Map<String, Double> io = elapsedNanos > 0
                ? ioUtil(prev.disks(), now.disks(), disks, elapsedNanos)
                : retain(lastIoUtil, now.disks(), disks);
        lastIoUtil = io;

        List<Candidate> candidates = new ArrayList<>(2 + io.size());
        candidates.add(new Candidate(Candidate.CPU, "", cpu.busy()));
        candidates.add(new Candidate(Candidate.SI_CPU, siNic, siCandidate));
        double sysload = Math.max(cpu.busy(), siCandidate);
        for (Map.Entry<String, Double> e : io.entrySet()) {
            candidates.add(new Candidate(Candidate.IO, e.getKey(), e.getValue()));
            sysload = Math.max(sysload, e.getValue());
        }
        sysload = Percent.clamp(sysload);

        if (elapsedNanos > 0) {
            double seconds = elapsedNanos / 1e9;
            lastCtxtRate = Counters.delta(prev.stat().contextSwitches(), now.stat().contextSwitches()) / seconds;
            lastIntrRate = Counters.delta(prev.stat().interrupts(), now.stat().interrupts()) / seconds;
        }

        long t = now.monotonicNanos();
        history.add(t, sysload);
        return new Sample(now.wallMillis(), sysload,
                history.mean(t, History.ONE_MINUTE_NANOS),
                history.mean(t, History.FIVE_MINUTES_NANOS),
                history.mean(t, History.FIFTEEN_MINUTES_NANOS),
                cpu, siNic, si, candidates, io, nicCpus, lastCtxtRate, lastIntrRate);
    }

    /**
     * A group that is empty (not known yet) or covers every online CPU is the aggregate line.
     * Null when no tick passed on its CPUs.
     */
    private static CpuModes groupModes(ProcStat prev, ProcStat now, Set<Integer> cpus, CpuModes all) {
        if (cpus.isEmpty() || cpus.containsAll(now.perCpu().keySet())) {
            return all;
        }
        return CpuMath.groupModes(prev.perCpu(), now.perCpu(), cpus);
    }

    private static Map<String, Double> ioUtil(List<DiskStat> prev, List<DiskStat> now,
                                              Set<String> watched, long elapsedNanos) {
        Map<String, Long> before = new HashMap<>();
        for (DiskStat d : prev) {
            before.put(d.name(), d.ioTicksMs());
        }
        double elapsedMs = elapsedNanos / 1e6;
        Map<String, Double> util = new TreeMap<>();
        for (DiskStat d : now) {
            Long b = before.get(d.name());
            // A disk that just appeared has no interval yet; one that left simply is not here.
            if (b != null && watched.contains(d.name())) {
                util.put(d.name(), Percent.clamp(Counters.delta(b, d.ioTicksMs()) / elapsedMs * 100.0));
            }
        }
        return util;
    }

    private static Map<String, Double> retain(Map<String, Double> last, List<DiskStat> now, Set<String> watched) {
        Map<String, Double> kept = new TreeMap<>();
        for (DiskStat d : now) {
            Double v = last.get(d.name());
            if (v != null && watched.contains(d.name())) {
                kept.put(d.name(), v);
            }
        }
        return kept;
    }

    private static CpuModes orElse(CpuModes m, CpuModes fallback) {
        return m != null ? m : fallback;
    }
}
