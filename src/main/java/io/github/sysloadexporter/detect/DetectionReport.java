package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.Interrupts;
import java.util.ArrayList;
import java.util.List;

/** Renders what detection found and why: for {@code --info}, and line by line for the debug log. */
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
            out.append("  ").append(watched(nic)).append('\n');
            for (String line : irqLines(nic, interrupts)) {
                out.append("    ").append(line).append('\n');
            }
        }
        for (Excluded skipped : nics.excluded()) {
            out.append("  ").append(notWatched(skipped)).append('\n');
        }
        out.append("Block devices (utilisation from /proc/diskstats io_ticks):\n");
        if (disks.disks().isEmpty()) {
            out.append("  no disk found\n");
        }
        for (Disk disk : disks.disks()) {
            out.append("  ").append(watched(disk)).append('\n');
        }
        for (Excluded skipped : disks.excluded()) {
            out.append("  ").append(notWatched(skipped)).append('\n');
        }
        return out.toString();
    }

    /**
     * The findings of {@link #render} about NICs, each a line that stands alone (it names its
     * NIC): every NIC and why, each of its IRQ lines chosen or rejected and why, and every
     * interface left out. {@code nics} are those watched, found or given with -i.
     */
    public static List<String> nicDecisions(List<Nic> nics, List<Excluded> excluded, Interrupts interrupts) {
        List<String> out = new ArrayList<>();
        for (Nic nic : nics) {
            out.add("NIC " + watched(nic));
            for (String line : irqLines(nic, interrupts)) {
                out.add("NIC " + nic.name() + ": " + line);
            }
        }
        for (Excluded skipped : excluded) {
            out.add("interface " + notWatched(skipped));
        }
        return out;
    }

    /** The findings of {@link #render} about disks, each a line that stands alone. */
    public static List<String> diskDecisions(DiskScan disks) {
        List<String> out = new ArrayList<>();
        for (Disk disk : disks.disks()) {
            out.add("disk " + watched(disk));
        }
        for (Excluded skipped : disks.excluded()) {
            out.add("block device " + notWatched(skipped));
        }
        return out;
    }

    /** A NIC's IRQ lines, each chosen or rejected and why; first why it has no receive line, if so. */
    private static List<String> irqLines(Nic nic, Interrupts interrupts) {
        List<IrqChoice> choices = IrqMatcher.classify(nic, interrupts);
        List<String> out = new ArrayList<>(choices.size() + 1);
        String none = noReceiveLine(nic, choices);
        if (none != null) {
            out.add(none);
        }
        for (IrqChoice choice : choices) {
            out.add(irq(choice));
        }
        return out;
    }

    private static String watched(Nic nic) {
        return nic.name() + ": watched, " + nic.why();
    }

    private static String watched(Disk disk) {
        return disk.name() + ": watched, " + disk.why();
    }

    private static String notWatched(Excluded skipped) {
        return skipped.name() + ": not watched, " + skipped.why();
    }

    private static String irq(IrqChoice choice) {
        return "IRQ " + choice.irq() + ' ' + String.join(", ", choice.actions())
                + (choice.receive() ? ": chosen, " : ": rejected, ") + choice.why();
    }

    /** Why the NIC has no receive line, or null when it has one. */
    private static String noReceiveLine(Nic nic, List<IrqChoice> choices) {
        if (nic.driver().filter(DriverTable.NO_LINES::contains).isPresent()) {
            return "no receive IRQ line: " + nic.driver().get() + " has no IRQ of its own"
                    + " (its channels interrupt through the hypervisor vector every VMBus device shares);"
                    + " its group is all CPUs";
        }
        if (choices.stream().noneMatch(IrqChoice::receive)) {
            return "no receive IRQ line found in /proc/interrupts";
        }
        return null;
    }
}
