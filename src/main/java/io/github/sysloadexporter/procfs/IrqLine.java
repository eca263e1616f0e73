package io.github.sysloadexporter.procfs;

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
    public IrqLine {
        actions = List.copyOf(actions);
    }

    /** Sum of this line over all CPU columns. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }
}
