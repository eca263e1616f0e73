package io.github.sysloadexporter.procfs;

import java.util.Arrays;
import java.util.List;

/**
 * One line of /proc/interrupts.
 *
 * @param irq         the label before the colon: a number ("38") or a name ("LOC")
 * @param counts      interrupts per CPU, aligned with {@link Interrupts#cpuIds()}; columns a
 *                    short line (ERR, MIS) does not print are zero; empty when the parse's
 *                    {@link IrqFilter} did not keep this line's counts
 * @param description the text after the counts, trimmed: chip, hardware IRQ and type, then
 *                    the action names (e.g. {@code PCI-MSIX-0000:00:03.0 1-edge virtio2-input.0})
 * @param actions     the action (device) names of a numbered IRQ: the last column, split at
 *                    ", " where several devices share the line; empty for named lines
 */
public record IrqLine(String irq, long[] counts, String description, List<String> actions) {
    private static final long[] NO_COUNTS = new long[0];

    public IrqLine {
        // The record is immutable: nobody else holds its array (the parser reuses its own).
        counts = counts.length == 0 ? NO_COUNTS : counts.clone();
        actions = List.copyOf(actions);
    }

    /**
     * Whether a label is an IRQ number as the kernel names IRQs (an unsigned int): digits only,
     * at most nine of them, so that it always fits an int. "LOC", "NMI" and such are not.
     */
    public static boolean isIrqNumber(String label) {
        return !label.isEmpty() && label.length() <= 9 && label.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A copy of the counts; {@link #count(int)} reads one without copying. */
    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Number of count columns kept (0 when the filter did not keep them). */
    public int columns() {
        return counts.length;
    }

    /** The count of one CPU column. */
    public long count(int column) {
        return counts[column];
    }

    /** Sum of this line over all CPU columns. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IrqLine other
                && irq.equals(other.irq)
                && Arrays.equals(counts, other.counts)
                && description.equals(other.description)
                && actions.equals(other.actions);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * irq.hashCode() + Arrays.hashCode(counts)) + description.hashCode())
                + actions.hashCode();
    }

    @Override
    public String toString() {
        return "IrqLine[irq=" + irq + ", counts=" + Arrays.toString(counts) + ", description=" + description
                + ", actions=" + actions + "]";
    }
}
