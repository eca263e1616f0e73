package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.testing.Fixtures;
import io.github.sysloadexporter.testing.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** --log.level=debug: each decision of a scan, once, and again only when a rescan decides otherwise. */
class DetectedTargetsTest {
    static final Path SYS = Fixtures.sysfs("virtio-2cpu");
    static final Interrupts IRQS = Fixtures.interrupts("virtio-2cpu");

    final LogLines log = new LogLines(Level.DEBUG);

    /** A scan as the sampler makes it: NICs, their lines in /proc/interrupts, disks. */
    static Map<String, Set<String>> scan(DetectedTargets targets) throws Exception {
        targets.disks();
        targets.rescanNics();
        return targets.nicReceiveLines(IRQS);
    }

    @Test
    void eachDecisionOfTheScanAtDebug() throws Exception {
        assertEquals(Map.of("eth0", Set.of("38")), scan(new DetectedTargets(SYS, List.of(), List.of(), log)));
        List<String> lines = log.at(Level.DEBUG);
        assertTrue(
                lines.contains("disk vda: watched, name of the original's pattern sd*|vd*|hd*|xvd*"
                        + " (devices/pci0000:00/0000:00:02.0/virtio1/block/vda)"),
                lines.toString());
        assertTrue(
                lines.contains("block device loop0: not watched, loop device: its I/O is counted on the disk"
                        + " holding the file"),
                lines.toString());
        assertTrue(
                lines.contains(
                        "NIC eth0: watched, device link -> devices/pci0000:00/0000:00:03.0/virtio2,"
                                + " driver virtio_net, virtio device virtio2, PCI function 0000:00:03.0, MSI IRQs [37, 38, 39]"),
                lines.toString());
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("NIC eth0: IRQ 38 virtio2-input.0: chosen, ")),
                lines.toString());
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("NIC eth0: IRQ 39 virtio2-output.0: rejected, ")),
                lines.toString());
        assertTrue(lines.contains("interface lo: not watched, loopback"), lines.toString());
        assertEquals(lines.size(), log.lines().size(), "debug only: " + log.lines());
    }

    @Test
    void aRescanThatDecidesTheSameSaysNothing() throws Exception {
        DetectedTargets targets = new DetectedTargets(SYS, List.of(), List.of(), log);
        scan(targets);
        int first = log.lines().size();
        scan(targets);
        scan(targets);
        assertEquals(first, log.lines().size(), log.lines().toString());
    }

    @Test
    void givenNamesAreDecisionsToo() throws Exception {
        scan(new DetectedTargets(SYS, List.of("virtio2-input", "eht0"), List.of("vdb"), log));
        List<String> lines = log.at(Level.DEBUG);
        assertTrue(lines.contains("disk vdb: watched, given with -b"), lines.toString());
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("-i virtio2-input: IRQ 38 virtio2-input.0: chosen, ")),
                lines.toString());
        assertTrue(lines.contains("-i eht0: no interface of that name, and no IRQ line names it"), lines.toString());
    }

    /** -i order is si_cpu's tie order: of NICs whose groups are alike, the first one given wins. */
    @Test
    void givenNamesKeepTheirOrder() throws Exception {
        Map<String, Set<String>> lines =
                scan(new DetectedTargets(SYS, List.of("virtio2-input", "eth0"), List.of(), log));
        assertEquals(List.of("virtio2-input", "eth0"), List.copyOf(lines.keySet()));
        lines = scan(new DetectedTargets(SYS, List.of("eth0", "virtio2-input"), List.of(), log));
        assertEquals(List.of("eth0", "virtio2-input"), List.copyOf(lines.keySet()));
    }

    /** A scan that fails keeps what the last one found. */
    @Test
    void aFailedScanKeepsTheLastNics(@TempDir Path tmp) throws Exception {
        // the fixture's top directories linked in, so that one can be taken away
        Path sys = Files.createDirectory(tmp.resolve("sys"));
        try (var top = Files.list(SYS)) {
            for (Path dir : top.toList()) {
                Files.createSymbolicLink(sys.resolve(dir.getFileName().toString()), dir.toAbsolutePath());
            }
        }
        DetectedTargets targets = new DetectedTargets(sys, List.of(), List.of(), log);
        assertEquals(Map.of("eth0", Set.of("38")), scan(targets));
        Files.delete(sys.resolve("class"));
        assertThrows(IOException.class, targets::rescanNics);
        assertEquals(Map.of("eth0", Set.of("38")), targets.nicReceiveLines(IRQS));
    }

    @Test
    void nothingAtInfo() throws Exception {
        LogLines info = new LogLines(Level.INFO);
        scan(new DetectedTargets(SYS, List.of(), List.of(), info));
        assertEquals(List.of(), info.lines());
    }
}
