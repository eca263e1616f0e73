package io.github.sysloadexporter.procfs;

import java.util.Arrays;
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
        cpuIds = cpuIds.clone(); // the record is immutable: nobody else holds its array
        lines = List.copyOf(lines);
    }

    /** A copy of the header's CPU numbers; {@link #cpuId(int)} reads one without copying. */
    @Override
    public int[] cpuIds() {
        return cpuIds.clone();
    }

    /** Number of CPU columns in the header. */
    public int cpuColumns() {
        return cpuIds.length;
    }

    /** The CPU number of a column. */
    public int cpuId(int column) {
        return cpuIds[column];
    }

    /** A file whose every line was good. */
    public Interrupts(int[] cpuIds, List<IrqLine> lines) {
        this(cpuIds, lines, Skipped.NONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interrupts other
                && Arrays.equals(cpuIds, other.cpuIds)
                && lines.equals(other.lines)
                && skipped.equals(other.skipped);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(cpuIds) + lines.hashCode()) + skipped.hashCode();
    }

    @Override
    public String toString() {
        return "Interrupts[cpuIds=" + Arrays.toString(cpuIds) + ", lines=" + lines + ", skipped=" + skipped + "]";
    }
}
