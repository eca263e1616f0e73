package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The /proc files of each architecture's fixture host (written from kernel/irq/proc.c and each
 * arch's arch_show_interrupts; see their READMEs) parse whole: no line skipped, the interrupts
 * header lists the CPUs that /proc/stat lists, and the lines whose shape differs from x86's
 * come out right.
 */
class ArchFixturesTest {
    private static Interrupts interrupts(String host) throws Exception {
        return InterruptsParser.parse(host, Fixtures.text(host + "/proc/interrupts"));
    }

    private static IrqLine line(Interrupts in, String label) {
        return in.lines().stream()
                .filter(l -> l.irq().equals(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError(label));
    }

    private static IrqLine withAction(Interrupts in, String action) {
        return in.lines().stream()
                .filter(l -> l.actions().contains(action))
                .findFirst()
                .orElseThrow(() -> new AssertionError(action));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "arch-x86-metal",
                "arch-x86-kvm",
                "arch-x86-xen",
                "arch-x86-hyperv",
                "arch-arm64-gicv3",
                "arch-arm64-gicv3-6.18",
                "arch-ppc64le-xive"
            })
    void everyFileParsesWholeAndTheCpusAgree(String host) throws Exception {
        ProcStat stat = ProcStatParser.parse(host, Fixtures.text(host + "/proc/stat"));
        DiskStats disks = DiskStatsParser.parse(host, Fixtures.text(host + "/proc/diskstats"));
        Interrupts in = interrupts(host);
        assertEquals(Skipped.NONE, stat.skipped());
        assertEquals(Skipped.NONE, disks.skipped());
        assertEquals(Skipped.NONE, in.skipped());
        assertTrue(stat.interrupts().isPresent() && stat.contextSwitches().isPresent());
        assertEquals(
                List.copyOf(stat.perCpu().keySet()),
                Arrays.stream(in.cpuIds()).boxed().collect(Collectors.toList()));
        assertTrue(in.lines().size() > 10, host);
        assertTrue(disks.disks().size() > 0, host);
    }

    @Test
    void x86MetalWithAnOfflineCpuAndFourWideLabels() throws Exception {
        Interrupts in = interrupts("arch-x86-metal");
        assertArrayEquals(new int[] {0, 1, 2, 4, 5, 6, 7}, in.cpuIds());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0}, line(in, "ERR").counts());
        assertEquals(
                "i40e-eno1-TxRx-0", withAction(in, "i40e-eno1-TxRx-0").actions().get(0));
        assertTrue(in.lines().stream().anyMatch(l -> l.actions().equals(List.of("PCIe PME", "aerdrv", "pcie-dpc"))));
    }

    @Test
    void xenLinesWithoutHardwareIrq() throws Exception {
        Interrupts in = interrupts("arch-x86-xen");
        assertTrue(line(in, "HYP").total() > 0);
        assertEquals(List.of("vif0-q0-rx"), withAction(in, "vif0-q0-rx").actions());
        assertEquals(List.of("timer0"), withAction(in, "timer0").actions());
    }

    @Test
    void hyperVHasNoPerDeviceNicLineButItsCallbackLine() throws Exception {
        Interrupts in = interrupts("arch-x86-hyperv");
        assertTrue(line(in, "HYP").total() > 0);
        assertTrue(line(in, "HVS").total() >= 0);
        assertTrue(in.lines().stream().noneMatch(l -> l.actions().stream().anyMatch(a -> a.startsWith("eth0"))));
    }

    @Test
    void arm64IpisLevelEdgeAndOneCountErr() throws Exception {
        for (String host : List.of("arch-arm64-gicv3", "arch-arm64-gicv3-6.18")) {
            Interrupts in = interrupts(host);
            assertEquals("Rescheduling interrupts", line(in, "IPI0").description());
            assertTrue(line(in, "IPI0").counts()[3] > 0);
            assertArrayEquals(new long[] {0, 0, 0, 0}, line(in, "Err").counts());
            assertEquals(List.of("arch_timer"), withAction(in, "arch_timer").actions());
            assertEquals(List.of("ens5-Tx-Rx-0"), withAction(in, "ens5-Tx-Rx-0").actions());
        }
    }

    @Test
    void ppc64leXiveChipsAndTwoLocLines() throws Exception {
        Interrupts in = interrupts("arch-ppc64le-xive");
        assertEquals(2, in.lines().stream().filter(l -> l.irq().equals("LOC")).count());
        assertEquals(List.of("opal-msg"), withAction(in, "opal-msg").actions());
        assertEquals(
                List.of("mlx5_comp0@pci:0001:01:00.0"),
                withAction(in, "mlx5_comp0@pci:0001:01:00.0").actions());
    }
}
