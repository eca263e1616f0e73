package io.github.sysloadexporter.sysload;

import java.util.List;
import java.util.Optional;

/**
 * One of the values sysload is the maximum of.
 *
 * @param resource {@code cpu} (all CPUs), {@code si_cpu} (the CPUs that serve a NIC's
 *                 receive interrupts) or {@code io} (a disk)
 * @param device   the NIC or disk; empty for {@code cpu}
 * @param percent  the value it entered the maximum with; for si_cpu 0 while its
 *                 irq+softirq+system share is at or below the interrupt threshold
 */
public record Candidate(String resource, String device, double percent) {
    public static final String CPU = "cpu";
    public static final String SI_CPU = "si_cpu";
    public static final String IO = "io";

    /**
     * The candidate that sysload is the value of: the first of the largest, so a tie goes to
     * cpu, then si_cpu, then the disks by name (the order the calculator lists them in). Empty
     * while every candidate is 0.
     */
    public static Optional<Candidate> driving(List<Candidate> candidates) {
        Candidate top = null;
        for (Candidate c : candidates) {
            if (c.percent() > 0 && (top == null || c.percent() > top.percent())) {
                top = c;
            }
        }
        return Optional.ofNullable(top);
    }
}
