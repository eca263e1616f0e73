package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.FixtureRoot;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test data: fixture sysfs roots and hand-built /proc/interrupts snapshots. */
final class Fixtures {
    private Fixtures() {
    }

    /** A fixture sysfs root. */
    static Path sysfs(String fixture) {
        return FixtureRoot.of(fixture + "/sys");
    }

    /** A numbered line as the kernel prints it: chip, hwirq and type, then the actions. */
    static IrqLine line(String irq, long[] counts, String chip, String... actions) {
        return new IrqLine(irq, counts, chip + "   " + String.join(", ", actions), List.of(actions));
    }

    /** A named line (LOC, NMI, ...): no actions. */
    static IrqLine named(String irq, long[] counts, String description) {
        return new IrqLine(irq, counts, description, List.of());
    }

    static int[] cpus(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    /** Counts for {@code n} CPUs, all zero but {@code value} on {@code cpu}. */
    static long[] on(int n, int cpu, long value) {
        long[] counts = new long[n];
        counts[cpu] = value;
        return counts;
    }

    /** This VM's /proc/interrupts (2 CPUs), numbered lines and a few named ones. */
    static Interrupts virtioMachine() {
        List<IrqLine> lines = new ArrayList<>();
        lines.add(line("24", c(1, 0), "IO-APIC   5-edge", "ACPI:Ged"));
        lines.add(line("26", c(0, 14), "IO-APIC   4-edge", "ttyS0"));
        lines.add(line("28", c(0, 0), "PCI-MSIX-0000:00:01.0   0-edge", "virtio0-config"));
        lines.add(line("29", c(0, 0), "PCI-MSIX-0000:00:01.0   1-edge", "virtio0-inflate"));
        lines.add(line("30", c(0, 0), "PCI-MSIX-0000:00:01.0   2-edge", "virtio0-deflate"));
        lines.add(line("31", c(0, 53), "PCI-MSIX-0000:00:01.0   3-edge", "virtio0-stats"));
        lines.add(line("32", c(19, 0), "PCI-MSIX-0000:00:01.0   4-edge", "virtio0-reporting_vq"));
        lines.add(line("33", c(0, 0), "PCI-MSIX-0000:00:05.0   0-edge", "virtio4-config"));
        lines.add(line("34", c(17, 0), "PCI-MSIX-0000:00:05.0   1-edge", "virtio4-input"));
        lines.add(line("35", c(0, 1), "PCI-MSIX-0000:00:02.0   0-edge", "virtio1-config"));
        lines.add(line("36", c(0, 66985), "PCI-MSIX-0000:00:02.0   1-edge", "virtio1-req.0"));
        lines.add(line("37", c(0, 0), "PCI-MSIX-0000:00:03.0   0-edge", "virtio2-config"));
        lines.add(line("38", c(0, 1649), "PCI-MSIX-0000:00:03.0   1-edge", "virtio2-input.0"));
        lines.add(line("39", c(1422, 0), "PCI-MSIX-0000:00:03.0   2-edge", "virtio2-output.0"));
        lines.add(line("40", c(0, 0), "PCI-MSIX-0000:00:04.0   0-edge", "virtio3-config"));
        lines.add(line("41", c(1955, 0), "PCI-MSIX-0000:00:04.0   1-edge", "virtio3-rx"));
        lines.add(line("42", c(0, 2967), "PCI-MSIX-0000:00:04.0   2-edge", "virtio3-tx"));
        lines.add(line("43", c(1, 0), "PCI-MSIX-0000:00:04.0   3-edge", "virtio3-event"));
        lines.add(named("NMI", c(0, 0), "Non-maskable interrupts"));
        lines.add(named("LOC", c(11682, 12977), "Local timer interrupts"));
        return new Interrupts(cpus(2), lines);
    }

    /**
     * The 64-CPU metal host: mlx5 async vector 100 and completion vectors 101..116 of
     * 0000:5e:00.0, ixgbe queue vectors 130..137 and its bare-name vector 138, and an NVMe line.
     */
    static Interrupts metalMachine() {
        List<IrqLine> lines = new ArrayList<>();
        lines.add(line("90", on(64, 5, 300), "IR-PCI-MSIX-0000:01:00.0   0-edge", "nvme0q0"));
        lines.add(line("100", on(64, 0, 40), "IR-PCI-MSIX-0000:5e:00.0   0-edge",
                "mlx5_async0@pci:0000:5e:00.0"));
        for (int q = 0; q < 16; q++) {
            lines.add(line(String.valueOf(101 + q), on(64, q, 1000 + q), "IR-PCI-MSIX-0000:5e:00.0   "
                    + (q + 1) + "-edge", "mlx5_comp" + q + "@pci:0000:5e:00.0"));
        }
        for (int q = 0; q < 8; q++) {
            lines.add(line(String.valueOf(130 + q), on(64, 16 + q, 500), "IR-PCI-MSIX-0000:19:00.0   "
                    + q + "-edge", "eno1-TxRx-" + q));
        }
        lines.add(line("138", on(64, 30, 3), "IR-PCI-MSIX-0000:19:00.0   8-edge", "eno1"));
        long[] loc = new long[64];
        Arrays.fill(loc, 99999);
        lines.add(named("LOC", loc, "Local timer interrupts"));
        return new Interrupts(cpus(64), lines);
    }

    static long[] c(long... counts) {
        return counts;
    }
}
