package io.github.sysloadexporter.sysload;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything published about one sampling interval. Immutable: the sampler swaps in a new
 * one, and a scrape reads whichever is current without waiting.
 *
 * @param wallMillis     when the interval ended (wall clock)
 * @param sysload        max of the candidates, 0..100
 * @param one            mean sysload over the last minute (of the samples taken)
 * @param five           ... five minutes
 * @param fifteen        ... fifteen minutes
 * @param cpu            all CPUs, per mode
 * @param siCpuNic       the NIC whose CPU group is {@code siCpu}; empty when no NIC is watched
 * @param siCpu          the NIC-IRQ CPU group, per mode
 * @param candidates     every candidate, cpu first, then si_cpu, then disks by name
 * @param ioUtil         disk utilisation by device name, sorted by name
 * @param nicIrqCpus     number of CPUs found serving each watched NIC (0: none seen yet)
 * @param ctxtPerSecond  context switches per second
 * @param intrPerSecond  interrupts per second
 */
public record Sample(long wallMillis, double sysload, double one, double five, double fifteen,
                     CpuModes cpu, String siCpuNic, CpuModes siCpu, List<Candidate> candidates,
                     Map<String, Double> ioUtil, Map<String, Integer> nicIrqCpus,
                     double ctxtPerSecond, double intrPerSecond) {
    public Sample {
        candidates = List.copyOf(candidates);
        ioUtil = Collections.unmodifiableSortedMap(new TreeMap<>(ioUtil));
        nicIrqCpus = Collections.unmodifiableSortedMap(new TreeMap<>(nicIrqCpus));
    }
}
