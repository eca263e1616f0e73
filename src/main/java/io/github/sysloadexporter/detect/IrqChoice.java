package io.github.sysloadexporter.detect;

import java.util.List;

/**
 * One /proc/interrupts line found to belong to a NIC, and whether it serves the receive path.
 *
 * @param irq     the label before the colon, e.g. {@code 38}
 * @param actions the line's action names, for display
 * @param receive true if the line's CPUs do the NIC's receive work; false for transmit-only and
 *                control lines, kept so that {@code --info} can show what was rejected
 * @param why     which rule tied the line to the NIC and why it was kept or rejected
 */
public record IrqChoice(String irq, List<String> actions, boolean receive, String why) {
    public IrqChoice {
        actions = List.copyOf(actions);
    }
}
