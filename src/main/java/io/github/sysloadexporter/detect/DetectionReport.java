package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.Interrupts;
import java.util.List;

/** Renders what detection found and why, for {@code --info}. */
public final class DetectionReport {
    private DetectionReport() {}

    /**
     * Plain text, one finding per line: the NICs with their device and the IRQ lines chosen and
     * rejected, the interfaces left out, then the disks included and excluded; every line with
     * its reason. A pure function of its arguments.
     */
    public static String render(NicScan nics, Interrupts interrupts, DiskScan disks) {
        StringBuilder out = new StringBuilder();
        out.append("Network interfaces (their receive IRQs' CPUs form the si_cpu group):\n");
        if (nics.nics().isEmpty()) {
            out.append("  no NIC found: si_cpu is not a candidate\n");
        }
        for (Nic nic : nics.nics()) {
            out.append("  ")
                    .append(nic.name())
                    .append(": watched, ")
                    .append(nic.why())
                    .append('\n');
            List<IrqChoice> choices = IrqMatcher.classify(nic, interrupts);
            if (nic.driver().filter(DriverTable.NO_LINES::contains).isPresent()) {
                out.append("    no receive IRQ line: ")
                        .append(nic.driver().get())
                        .append(" has no IRQ of its own"
                                + " (its channels interrupt through the hypervisor vector every VMBus device shares);"
                                + " its group is all CPUs\n");
            } else if (choices.stream().noneMatch(IrqChoice::receive)) {
                out.append("    no receive IRQ line found in /proc/interrupts\n");
            }
            for (IrqChoice choice : choices) {
                out.append("    IRQ ")
                        .append(choice.irq())
                        .append(' ')
                        .append(String.join(", ", choice.actions()))
                        .append(choice.receive() ? ": chosen, " : ": rejected, ")
                        .append(choice.why())
                        .append('\n');
            }
        }
        for (Excluded skipped : nics.excluded()) {
            out.append("  ")
                    .append(skipped.name())
                    .append(": not watched, ")
                    .append(skipped.why())
                    .append('\n');
        }
        out.append("Block devices (utilisation from /proc/diskstats io_ticks):\n");
        if (disks.disks().isEmpty()) {
            out.append("  no disk found\n");
        }
        for (Disk disk : disks.disks()) {
            out.append("  ")
                    .append(disk.name())
                    .append(": watched, ")
                    .append(disk.why())
                    .append('\n');
        }
        for (Excluded skipped : disks.excluded()) {
            out.append("  ")
                    .append(skipped.name())
                    .append(": not watched, ")
                    .append(skipped.why())
                    .append('\n');
        }
        return out.toString();
    }
}
