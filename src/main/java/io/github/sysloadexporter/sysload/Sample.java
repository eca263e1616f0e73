package io.github.sysloadexporter.sysload;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything published about one sampling interval. Immutable: the sampler swaps in a new
 * one, and a scrape reads whichever is current without waiting.
 *
 * @param wallMillis when the interval ended (wall clock)
 * @param sysload    the value and its means
 * @param cpu        all CPUs, per mode
 * @param siCpu      the NIC-IRQ CPU group and whose it is
 * @param candidates every candidate, cpu first, then si_cpu, then disks by name
 * @param ioUtil     disk utilisation by device name, sorted by name
 * @param nicIrqCpus the CPUs found serving each watched NIC's receive interrupts (empty: none seen yet)
 * @param rates      context switches and interrupts per second
 * @param seconds    the seconds of every sample so far, by band and by candidate
 */
public record Sample(
        long wallMillis,
        Sysload sysload,
        CpuModes cpu,
        SiCpu siCpu,
        List<Candidate> candidates,
        Map<String, Double> ioUtil,
        Map<String, SortedSet<Integer>> nicIrqCpus,
        Rates rates,
        Seconds seconds) {
    public Sample {
        candidates = List.copyOf(candidates);
        ioUtil = Collections.unmodifiableSortedMap(new TreeMap<>(ioUtil));
        TreeMap<String, SortedSet<Integer>> cpus = new TreeMap<>();
        nicIrqCpus.forEach((nic, set) -> cpus.put(nic, Collections.unmodifiableSortedSet(new TreeSet<>(set))));
        nicIrqCpus = Collections.unmodifiableSortedMap(cpus);
    }

    /**
     * The candidate that sysload is the value of now: the first of the largest, so a tie goes
     * to cpu, then si_cpu, then the disks by name. Empty while every candidate is 0.
     */
    public Optional<Candidate> driving() {
        return Candidate.driving(candidates);
    }

    /**
     * sysload, 0..100, and its means over the samples taken in the last one, five and fifteen
     * minutes.
     */
    public record Sysload(double now, double one, double five, double fifteen) {}

    /**
     * @param nic   the NIC whose CPU group this is; empty when no NIC is watched
     * @param modes the group's CPUs, per mode (all CPUs while none is known)
     */
    public record SiCpu(String nic, CpuModes modes) {}

    /** Per second over the interval. */
    public record Rates(double ctxtPerSecond, double intrPerSecond) {}
}
