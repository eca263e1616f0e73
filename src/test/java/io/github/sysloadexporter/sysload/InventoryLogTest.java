package io.github.sysloadexporter.sysload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.testing.LogLines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The lines that tell what is watched: the inventory at start, then one per change. */
class WatchLogTest {
    static final long SECOND = 1_000_000_000L;

    final LogLines log = new LogLines(Level.INFO);
    final InventoryLog watch = new InventoryLog(log);

    static Map<String, Set<String>> nics(Object... nameThenIrqs) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenIrqs.length; i += 2) {
            @SuppressWarnings("unchecked")
            Set<String> irqs = (Set<String>) nameThenIrqs[i + 1];
            m.put((String) nameThenIrqs[i], irqs);
        }
        return m;
    }

    @Test
    void inventoryIsOneLinePerNicInScanOrderThenOnePerDiskByName() {
        assertEquals(
                List.of(
                        "watching NIC ens5: receive IRQs 27-30,32 on CPUs 0-3,8",
                        "watching NIC eth0: receive IRQ 38 on CPU 1",
                        "watching NIC eth1: receive IRQs 40-41, no CPU seen serving them yet"
                                + " (its CPU group is all CPUs until one is)",
                        "watching NIC hv0: no receive IRQ line of its own, its CPU group is all CPUs",
                        "watching disk nvme0n1",
                        "watching disk vda"),
                InventoryLog.inventory(
                        nics(
                                "ens5", Set.of("32", "27", "28", "29", "30"),
                                "eth0", Set.of("38"),
                                "eth1", Set.of("41", "40"),
                                "hv0", Set.of()),
                        Map.of("ens5", Set.of(8, 0, 1, 2, 3), "eth0", Set.of(1)),
                        Set.of("vda", "nvme0n1")));
        assertEquals(
                List.of("watching no NIC: the NIC-IRQ CPU figure (si_cpu) is that of all CPUs", "watching no disk"),
                InventoryLog.inventory(Map.of(), Map.of(), Set.of()));
    }

    @Test
    void listsAreTheKernelsCpulistForm() {
        assertEquals("", Ranges.of(List.of()));
        assertEquals("7", Ranges.of(List.of(7)));
        assertEquals("0-3,8,10-11", Ranges.of(List.of(11, 10, 8, 3, 2, 1, 0)));
        // labels that are not numbers (an -i pattern may match any line) follow the numbers
        assertEquals("24-25,NMI", InventoryLog.irqList(Set.of("NMI", "25", "24")));
        assertEquals("NMI,PIW", InventoryLog.irqList(Set.of("PIW", "NMI")));
    }

    @Test
    void aChangedSetIsOneLine() {
        assertEquals(
                "disks changed: sdb added, sdc removed; watching sda, sdb",
                InventoryLog.disksChanged(Set.of("sda", "sdc"), Set.of("sdb", "sda")));
        assertEquals("disks changed: sda removed; watching none", InventoryLog.disksChanged(Set.of("sda"), Set.of()));
        assertEquals(
                "NICs changed: eth0's receive IRQs now 38-41 (were 38), eth1 added (receive IRQs 50-53),"
                        + " eth2 removed; watching eth0, eth1",
                InventoryLog.nicsChanged(
                        nics("eth0", Set.of("38"), "eth2", Set.of("60")),
                        nics("eth0", Set.of("38", "39", "40", "41"), "eth1", Set.of("50", "51", "52", "53"))));
        assertEquals(
                "NIC eth0: receive interrupts now on CPUs 0-1 (were on CPU 1)",
                InventoryLog.cpusChanged("eth0", Set.of(1), Set.of(0, 1)));
        assertEquals(
                "NIC eth0: receive interrupts now on CPU 3 (none seen before)",
                InventoryLog.cpusChanged("eth0", Set.of(), Set.of(3)));
    }

    @Test
    void nothingBeforeTheInventoryNothingWhileNothingChanges() {
        watch.disks(Set.of(), Set.of("vda"));
        watch.nics(Map.of(), nics("eth0", Set.of("38")), 0);
        watch.cpus("eth0", Set.of(1), 0);
        assertEquals(List.of(), log.lines());

        watch.start(nics("eth0", Set.of("38")), Map.of("eth0", Set.of(1)), Set.of("vda"), 0);
        assertEquals(List.of("INFO watching NIC eth0: receive IRQ 38 on CPU 1", "INFO watching disk vda"), log.lines());
        log.lines().clear();
        for (int s = 10; s < 600; s += 10) {
            watch.disks(Set.of("vda"), Set.of("vda"));
            watch.nics(nics("eth0", Set.of("38")), nics("eth0", Set.of("38")), s * SECOND);
            watch.cpus("eth0", Set.of(1), s * SECOND);
        }
        assertEquals(List.of(), log.lines());
    }

    @Test
    void hotplugIsOneLineEachTime() {
        watch.start(nics("eth0", Set.of("38")), Map.of(), Set.of("vda"), 0);
        log.lines().clear();
        watch.disks(Set.of("vda"), Set.of("vda", "vdb"));
        watch.disks(Set.of("vda", "vdb"), Set.of("vda"));
        watch.nics(nics("eth0", Set.of("38")), nics("eth0", Set.of("38"), "eth1", Set.of("40")), 90 * SECOND);
        assertEquals(
                List.of(
                        "INFO disks changed: vdb added; watching vda, vdb",
                        "INFO disks changed: vdb removed; watching vda",
                        "INFO NICs changed: eth1 added (receive IRQ 40); watching eth0, eth1"),
                log.lines());
        // the new NIC's first CPUs are told at once
        log.lines().clear();
        watch.cpus("eth1", Set.of(2), 100 * SECOND);
        assertEquals(List.of("INFO NIC eth1: receive interrupts now on CPU 2 (none seen before)"), log.lines());
    }

    /** irqbalance moves an IRQ: told at once. Few flows flapping between queues: three lines, then one a minute. */
    @Test
    void cpuChangesAreToldThreeInARowThenOnceAMinute() {
        watch.start(nics("eth0", Set.of("38", "39")), Map.of("eth0", Set.of(1)), Set.of(), 0);
        watch.cpus("eth0", Set.of(1), 5 * SECOND); // as at start: nothing to tell
        log.lines().clear();
        watch.cpus("eth0", Set.of(0, 1), 10 * SECOND); // the rescan that spans a move sees both
        watch.cpus("eth0", Set.of(0), 20 * SECOND); // moved
        watch.cpus("eth0", Set.of(1), 30 * SECOND); // and back: the third line in a row
        watch.cpus("eth0", Set.of(0), 40 * SECOND); // held back
        watch.cpus("eth0", Set.of(1), 50 * SECOND); // as last told: nothing to tell
        watch.cpus("eth0", Set.of(0), 60 * SECOND); // held back
        watch.cpus("eth0", Set.of(0), 70 * SECOND); // a minute after the first line: where they are now
        watch.cpus("eth0", Set.of(1), 80 * SECOND); // held back
        watch.cpus("eth0", Set.of(1), 120 * SECOND); // held back: the next minute ends at 130 s
        watch.cpus("eth0", Set.of(1), 130 * SECOND);
        assertEquals(
                List.of(
                        "INFO NIC eth0: receive interrupts now on CPUs 0-1 (were on CPU 1)",
                        "INFO NIC eth0: receive interrupts now on CPU 0 (were on CPUs 0-1)",
                        "INFO NIC eth0: receive interrupts now on CPU 1 (were on CPU 0)",
                        "INFO NIC eth0: receive interrupts now on CPU 0 (were on CPU 1)",
                        "INFO NIC eth0: receive interrupts now on CPU 1 (were on CPU 0)"),
                log.lines());

        // quiet for three minutes: three in a row again
        log.lines().clear();
        watch.cpus("eth0", Set.of(0), 400 * SECOND);
        watch.cpus("eth0", Set.of(1), 410 * SECOND);
        watch.cpus("eth0", Set.of(0), 420 * SECOND);
        watch.cpus("eth0", Set.of(1), 430 * SECOND);
        assertEquals(3, log.lines().size(), log.lines().toString());
    }
}
