package io.github.sysloadexporter.procfs;

import java.util.List;

/**
 * /proc/interrupts.
 *
 * @param cpuIds the CPU numbers of the header, in column order; offline CPUs are not printed,
 *               so {@code CPU0 CPU2} means CPU1 is offline
 * @param lines  every line below the header
 */
public record Interrupts(int[] cpuIds, List<IrqLine> lines) {
    public Interrupts {
        lines = List.copyOf(lines);
    }
}
