package io.github.sysloadexporter.sysload;

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
}
