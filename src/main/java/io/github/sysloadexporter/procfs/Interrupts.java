package io.github.sysloadexporter.procfs;

import java.util.List;

/**
 * /proc/interrupts.
 *
 * @param cpuIds the CPU numbers of the header, in column order; offline CPUs are not printed,
 *               so {@code CPU0 CPU2} means CPU1 is offline
 * @param lines   every good line below the header
 * @param skipped lines that could not be parsed
 */
public record Interrupts(int[] cpuIds, List<IrqLine> lines, Skipped skipped) {
    public Interrupts {
        lines = List.copyOf(lines);
    }

    /** A file whose every line was good. */
    public Interrupts(int[] cpuIds, List<IrqLine> lines) {
        this(cpuIds, lines, Skipped.NONE);
    }
}
