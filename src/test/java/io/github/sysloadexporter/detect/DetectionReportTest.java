package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.testing.Fixtures;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetectionReportTest {

    @Test
    void virtioMachineReportSaysWhatWasChosenAndRejectedAndWhy() throws IOException {
        String report = DetectionReport.render(
                NicDetector.scan(Fixtures.sysfs("virtio-2cpu")),
                Fixtures.interrupts("virtio-2cpu"),
                DiskDetector.scan(Fixtures.sysfs("virtio-2cpu")));

        List<String> lines = report.lines().toList();
        assertEquals(
                List.of(
                        "Network interfaces (their receive IRQs' CPUs form the si_cpu group):",
                        "  eth0: watched, device link -> devices/pci0000:00/0000:00:03.0/virtio2, driver virtio_net, virtio device virtio2,"
                                + " PCI function 0000:00:03.0, MSI IRQs [37, 38, 39]",
                        "    IRQ 37 virtio2-config: rejected, action virtio2-config is virtio2's;"
                                + " IRQ 37 is an MSI vector of 0000:00:03.0 -> not receive: control vector"
                                + " (virtio_net {dev}-config, drivers/virtio/virtio_pci_common.c \"%s-config\")",
                        "    IRQ 38 virtio2-input.0: chosen, action virtio2-input.0 is virtio2's;"
                                + " IRQ 38 is an MSI vector of 0000:00:03.0 -> receive: receive queue"
                                + " (virtio_net {dev}-input.{n}, drivers/virtio/virtio_pci_common.c \"%s-%s\")",
                        "    IRQ 39 virtio2-output.0: rejected, action virtio2-output.0 is virtio2's;"
                                + " IRQ 39 is an MSI vector of 0000:00:03.0 -> not receive: transmit-only queue"
                                + " (virtio_net {dev}-output.{n}, drivers/virtio/virtio_pci_common.c \"%s-%s\")",
                        "  ifb0: not watched, ifb (traffic shaping redirect), no device link",
                        "  ifb1: not watched, ifb (traffic shaping redirect), no device link",
                        "  lo: not watched, loopback",
                        "Block devices (utilisation from /proc/diskstats io_ticks):",
                        "  vda: watched, name of the original's pattern sd*|vd*|hd*|xvd*"
                                + " (devices/pci0000:00/0000:00:02.0/virtio1/block/vda)"),
                lines.subList(0, 10));
        assertEquals("  zram0: not watched, zram: compressed RAM, not a disk", lines.get(lines.size() - 1));
        assertEquals(19, lines.size());
    }

    @Test
    void nothingFoundIsSaidPlainly() {
        Nic quiet = new Nic("eth5", Optional.empty(), Optional.empty(), Set.of(), "test");
        String report = DetectionReport.render(
                new NicScan(List.of(quiet), List.of()),
                new Interrupts(Fixtures.cpus(1), List.of()),
                new DiskScan(List.of(), List.of()));

        assertTrue(
                report.contains("  eth5: watched, test\n    no receive IRQ line found in /proc/interrupts\n"), report);
        assertTrue(report.endsWith("  no disk found\n"), report);
        String none = DetectionReport.render(
                new NicScan(List.of(), List.of()),
                new Interrupts(Fixtures.cpus(1), List.of()),
                new DiskScan(List.of(), List.of()));
        assertTrue(none.contains("  no NIC found: si_cpu is not a candidate\n"), none);
    }
}
