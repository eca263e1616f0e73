package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterruptsParserTest {

    private static Interrupts parseFixture(String relative) throws Exception {
        return InterruptsParser.parse(relative, Fixtures.text(relative));
    }

    private static IrqLine irq(Interrupts in, String label) {
        return in.lines().stream()
                .filter(l -> l.irq().equals(label))
                .findFirst()
                .orElseThrow();
    }

    private static ProcfsFormatException failure(String text) {
        return assertThrows(ProcfsFormatException.class, () -> InterruptsParser.parse("t/interrupts", text));
    }

    @Test
    void realVirtioGuest() throws Exception {
        Interrupts in = parseFixture("virtio-2cpu/proc/interrupts");
        assertArrayEquals(new int[] {0, 1}, in.cpuIds());
        assertEquals(35, in.lines().size());
        assertEquals("24", in.lines().get(0).irq());
        IrqLine rx = irq(in, "38");
        assertArrayEquals(new long[] {0, 4486}, rx.counts());
        assertEquals("PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0", rx.description());
        assertEquals(List.of("virtio2-input.0"), rx.actions());
        assertEquals(List.of("virtio2-output.0"), irq(in, "39").actions());
        assertArrayEquals(new long[] {4279, 0}, irq(in, "39").counts());
        assertEquals(List.of("virtio1-req.0"), irq(in, "36").actions());
        assertEquals(114656, irq(in, "36").total());
        assertEquals(List.of("ACPI:Ged"), irq(in, "24").actions());
        assertEquals(List.of("virtio3-event"), irq(in, "43").actions());
        IrqLine loc = irq(in, "LOC");
        assertArrayEquals(new long[] {21048, 23200}, loc.counts());
        assertEquals("Local timer interrupts", loc.description());
        assertEquals(List.of(), loc.actions());
        assertEquals("Hypervisor callback interrupts", irq(in, "HYP").description());
        assertArrayEquals(new long[] {0, 0}, irq(in, "ERR").counts());
        assertEquals("", irq(in, "ERR").description());
    }

    @Test
    void metalHostOf64Cpus() throws Exception {
        Interrupts in = parseFixture("metal-64cpu/proc/interrupts");
        assertArrayEquals(IntStream.range(0, 64).toArray(), in.cpuIds());
        assertEquals(74, in.lines().size());

        IrqLine async = irq(in, "100");
        assertEquals(List.of("mlx5_async0@pci:0000:5e:00.0"), async.actions());
        assertEquals(1204, async.counts()[0]);
        assertEquals(77, async.counts()[9]);
        assertEquals(1281, async.total());

        IrqLine comp0 = irq(in, "101");
        assertEquals("IR-PCI-MSI 49283073-edge      mlx5_comp0@pci:0000:5e:00.0", comp0.description());
        assertEquals(List.of("mlx5_comp0@pci:0000:5e:00.0"), comp0.actions());
        assertEquals(7429033, comp0.counts()[0]);
        assertEquals(169, comp0.counts()[40]);
        assertEquals(7429033 + 169, comp0.total());
        IrqLine comp15 = irq(in, "116");
        assertEquals(List.of("mlx5_comp15@pci:0000:5e:00.0"), comp15.actions());
        assertEquals(17590703, comp15.counts()[15]);
        assertEquals(3, comp15.counts()[32]);
        assertEquals(151, comp15.counts()[55]);

        assertEquals(List.of("eno1-TxRx-0"), irq(in, "130").actions());
        assertEquals(2015454, irq(in, "130").counts()[16]);
        assertEquals(285224, irq(in, "137").counts()[23]);
        assertEquals(List.of("eno1"), irq(in, "138").actions());
        assertEquals(5, irq(in, "138").total());
        assertEquals(List.of("nvme0q0"), irq(in, "30").actions());
        assertEquals(List.of("nvme1q8"), irq(in, "75").actions());
        assertEquals(List.of("timer"), irq(in, "0").actions());

        // shared line, an action name with a blank, a line whose action is gone
        assertEquals(List.of("ehci_hcd:usb1", "i801_smbus"), irq(in, "16").actions());
        assertEquals(List.of("PCIe PME", "pciehp"), irq(in, "26").actions());
        assertEquals(List.of("PCIe PME", "aerdrv"), irq(in, "27").actions());
        assertEquals(List.of(), irq(in, "4").actions());
        assertEquals("IO-APIC    4-edge", irq(in, "4").description());
        assertEquals(List.of("ahci[0000:00:17.0]"), irq(in, "29").actions());

        IrqLine nmi = irq(in, "NMI");
        assertEquals(327, nmi.counts()[0]);
        assertEquals(318, nmi.counts()[7]);
        assertEquals(332, nmi.counts()[63]);
        assertEquals("Non-maskable interrupts", nmi.description());
        for (String named : List.of(
                "NMI", "LOC", "SPU", "PMI", "IWI", "RTR", "RES", "CAL", "TLB", "TRM", "THR", "DFR", "MCE", "MCP", "ERR",
                "MIS", "PIN", "NPI", "PIW")) {
            assertEquals(64, irq(in, named).counts().length, named);
            assertEquals(List.of(), irq(in, named).actions(), named);
        }
        assertEquals("Machine check polls", irq(in, "MCP").description());
    }

    @Test
    void offlineCpuIsMissingFromHeaderAndColumns() throws Exception {
        Interrupts in = parseFixture("metal-64cpu-offline/proc/interrupts");
        int[] expected = IntStream.range(0, 64).filter(i -> i != 5).toArray();
        assertEquals(63, expected.length);
        assertArrayEquals(expected, in.cpuIds());
        IrqLine comp15 = irq(in, "116");
        assertEquals(63, comp15.counts().length);
        // CPU 15 is column 14 once CPU 5 is gone
        assertEquals(17590703, comp15.counts()[14]);
        assertEquals(15, in.cpuIds()[14]);
        assertEquals(63, irq(in, "ERR").counts().length);
    }

    @Test
    void kernel310FusedChipAndFlow() throws Exception {
        Interrupts in = parseFixture("interrupts-3.10/proc/interrupts");
        assertArrayEquals(new int[] {0, 1, 2, 3}, in.cpuIds());
        assertEquals(List.of("timer"), irq(in, "0").actions());
        assertEquals(List.of("acpi"), irq(in, "9").actions());
        assertEquals(List.of("ehci_hcd:usb1", "eth0"), irq(in, "16").actions());
        assertEquals("IO-APIC-fasteoi   ehci_hcd:usb1, eth0", irq(in, "16").description());
        assertEquals(List.of(), irq(in, "24").actions());
        assertEquals(List.of("eth1-TxRx-0"), irq(in, "26").actions());
        assertArrayEquals(new long[] {12345678, 0, 2, 0}, irq(in, "26").counts());
        assertArrayEquals(
                new long[] {7012345, 6890123, 6912345, 6823456}, irq(in, "LOC").counts());
        assertArrayEquals(new long[] {0, 0, 0, 0}, irq(in, "MIS").counts());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        IR-PCI-MSI 48758784-edge      mlx5_comp0@pci:0000:5e:00.0 | mlx5_comp0@pci:0000:5e:00.0
        IR-PCI-MSIX-0000:5e:00.0    1-edge      mlx5_comp0@pci:0000:5e:00.0 | mlx5_comp0@pci:0000:5e:00.0
        PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0           | virtio2-input.0
        IO-APIC   2-edge      timer                                   | timer
        IR-IO-APIC    2-edge      timer                               | timer
        PCI-MSI-edge      eth0-TxRx-0                                 | eth0-TxRx-0
        IO-APIC-edge      timer                                       | timer
        IO-APIC-fasteoi   ehci_hcd:usb1, eth0                         | ehci_hcd:usb1;eth0
        IO-APIC  16-fasteoi   i801_smbus, ehci_hcd:usb1, eth1         | i801_smbus;ehci_hcd:usb1;eth1
        IR-PCI-MSI 458752-edge      PCIe PME, pciehp                  | PCIe PME;pciehp
        DMAR-MSI    0-edge      dmar0                                 | dmar0
        GICv3  27 Level     arch_timer                                | arch_timer
        ITS-MSI 524288 Edge      nvme0q0                              | nvme0q0
        xen-pirq    -ioapic-level  ata_piix                           | ata_piix
        xen-percpu    -virq      timer0                               | timer0
        xen-dyn-lateeoi    -event     vif0-q1-rx                      | vif0-q1-rx
        xen-pirq   1-ioapic-edge  i8042                               | i8042
        Hyper-V PCIe MSI 4138201022465-edge      mlx5_comp0@pci:7870:00:02.0 | mlx5_comp0@pci:7870:00:02.0
        OPAL EVT  11 Level     opal-msg                               | opal-msg
        ITS-PCI-MSIX-0000:00:04.0   0 Edge      nvme0q0               | nvme0q0
        PNV-PCI-MSI 134742017 Edge      mlx5_comp0@pci:0001:01:00.0   | mlx5_comp0@pci:0001:01:00.0
        PCI-MSI-edge      PCIe PME, pciehp                            | PCIe PME;pciehp
        IO-APIC    4-edge                                             |
        PCI-MSI-edge                                                  |
        IR-PCI-MSI 49283090-edge                                      |
        GICv3  27 Level                                               |
        """)
    void actionsOfEveryKernelGeneration(String description, String expected) {
        List<String> want = expected == null ? List.of() : Arrays.asList(expected.split(";"));
        assertEquals(want, InterruptsParser.actions(description.trim()));
    }

    @Test
    void descriptionWithActionsThroughTheParser() throws Exception {
        Interrupts in = InterruptsParser.parse(
                "t",
                "           CPU0       CPU1       \n"
                        + " 16:       1043          0   IO-APIC-fasteoi   ehci_hcd:usb1, eth0\n"
                        + " 17:          1          2  IO-APIC   17-fasteoi   \n");
        assertEquals(List.of("ehci_hcd:usb1", "eth0"), in.lines().get(0).actions());
        assertEquals(List.of(), in.lines().get(1).actions());
        assertEquals("IO-APIC   17-fasteoi", in.lines().get(1).description());
    }

    @Test
    void namedLinesMayHaveFewerCounts() throws Exception {
        Interrupts in = InterruptsParser.parse(
                "t", "      CPU0 CPU2 CPU3\nERR:  7\n" + "IPI0:  1 2 3  Rescheduling interrupts\n");
        assertArrayEquals(new int[] {0, 2, 3}, in.cpuIds());
        assertArrayEquals(new long[] {7, 0, 0}, in.lines().get(0).counts());
        assertArrayEquals(new long[] {1, 2, 3}, in.lines().get(1).counts());
        assertEquals("Rescheduling interrupts", in.lines().get(1).description());
    }

    /** Parses text with exactly one bad line; returns its problem. */
    private static ProcfsFormatException onlyProblem(Interrupts in) {
        assertEquals(1, in.skipped().count(), () -> in.skipped().first().toString());
        return in.skipped().first().get(0);
    }

    private static List<String> labels(Interrupts in) {
        return in.lines().stream().map(IrqLine::irq).toList();
    }

    /** The problems of the malformed fixtures are in MalformedFixturesTest; here, what is kept. */
    @Test
    void numberedLineCutAtTheEndOfTheFileIsSkipped() throws Exception {
        Interrupts in = parseFixture("malformed/interrupts-numbered-line-cut/interrupts");
        assertFalse(labels(in).contains("38"));
        assertEquals(13, in.lines().size()); // lines 2..14
    }

    @Test
    void numberedLineShortInTheMiddleCostsThatIrqOnly() throws Exception {
        Interrupts in = parseFixture("malformed/interrupts-numbered-line-short/interrupts");
        assertFalse(labels(in).contains("105"));
        assertTrue(labels(in).containsAll(List.of("104", "106")), labels(in).toString());
    }

    @Test
    void numberedLineWithAMissingColumn() throws Exception {
        Interrupts in = InterruptsParser.parse(
                "t/interrupts", "  CPU0 CPU1\n 38:  5  PCI-MSI 1-edge  eth0\n" + " 39:  5  6  PCI-MSI 2-edge  eth1\n");
        assertEquals(
                "t/interrupts:2: IRQ 38: expected 2 counts, found 1 before 'PCI-MSI'",
                onlyProblem(in).getMessage());
        assertEquals(List.of("39"), labels(in));
    }

    @Test
    void moreCountsThanColumns() throws Exception {
        Interrupts in = InterruptsParser.parse("t/interrupts", "  CPU0 CPU1\n 38:  5  6  7  PCI-MSI 1-edge  eth0\n");
        assertEquals(2, onlyProblem(in).line());
        assertEquals(List.of(), in.lines());
    }

    @Test
    void nonNumericCount() throws Exception {
        Interrupts in =
                InterruptsParser.parse("t/interrupts", "  CPU0 CPU1\n 38:  5  6\n 39:  5  6x  PCI-MSI 1-edge\n");
        assertEquals(
                "t/interrupts:3: count is not a number: '6x'", onlyProblem(in).getMessage());
        assertEquals(List.of("38"), labels(in));
    }

    @Test
    void lineWithoutColon() throws Exception {
        Interrupts in = InterruptsParser.parse("t/interrupts", "  CPU0 CPU1\n 38:  5  6  PCI\n 39  5  6  PCI\n");
        assertEquals(
                "t/interrupts:3: expected 'IRQ:' at the start of the line, found '39'",
                onlyProblem(in).getMessage());
        assertEquals(
                3,
                onlyProblem(InterruptsParser.parse("t", "  CPU0\n\n  :  5  PCI\n"))
                        .line());
    }

    @Test
    void countsAreUnsigned64Bit() throws Exception {
        Interrupts in = InterruptsParser.parse(
                "t",
                "  CPU0 CPU1\n 38:  18446744073709551615  4294967295  PCI-MSI 1-edge  eth0\n"
                        + " 39:  18446744073709551616  1  PCI-MSI 2-edge  eth1\n");
        assertArrayEquals(new long[] {-1L, 4294967295L}, in.lines().get(0).counts());
        assertTrue(onlyProblem(in).getMessage().contains("count does not fit in 64 bits"));
    }

    @Test
    void theFilterDecidesWhichLinesKeepTheirCounts() throws Exception {
        String text = "  CPU0 CPU1\n 38:  5  6  PCI-MSI 1-edge  eth0-rx-0\n 39:  7  8  PCI-MSI 2-edge  eth1\n"
                + "LOC:  9  10  Local timer interrupts\n";
        Interrupts in = InterruptsParser.parse("t", text, (irq, actions) -> actions.contains("eth0-rx-0"));
        assertArrayEquals(new long[] {5, 6}, in.lines().get(0).counts());
        assertArrayEquals(new long[0], in.lines().get(1).counts());
        assertEquals(List.of("eth1"), in.lines().get(1).actions()); // listed all the same
        assertArrayEquals(new long[0], in.lines().get(2).counts());
        in = InterruptsParser.parse("t", text, IrqFilter.labels(java.util.Set.of("39", "LOC")));
        assertArrayEquals(new long[0], in.lines().get(0).counts());
        assertArrayEquals(new long[] {7, 8}, in.lines().get(1).counts());
        assertArrayEquals(new long[] {9, 10}, in.lines().get(2).counts());
    }

    @Test
    void headerWithoutCpuColumn() {
        // Blank lines before it are skipped; the first text line must be the CPU header.
        ProcfsFormatException e = failure("\n  \t \n  0:  1  IO-APIC   2-edge      timer\n");
        assertEquals(
                "t/interrupts:3: expected a header of CPU columns (CPU0 CPU1 ...)," + " found '0:'", e.getMessage());
        e = failure("  CPU0  CPUx\n  0: 1 2 IO-APIC\n");
        assertEquals(
                "t/interrupts:1: expected a header of CPU columns (CPU0 CPU1 ...)," + " found 'CPUx'", e.getMessage());
    }

    /** Records with arrays: neither the array given nor the one returned reaches the record's own. */
    @Test
    void theParsedRecordsCannotBeChangedThroughTheirArrays() throws Exception {
        Interrupts in = parseFixture("virtio-2cpu/proc/interrupts");
        IrqLine rx = irq(in, "38");
        in.cpuIds()[0] = 7;
        rx.counts()[1] = 0;
        assertEquals(0, in.cpuId(0));
        assertEquals(4486, rx.count(1));

        long[] counts = {1, 2};
        IrqLine line = new IrqLine("5", counts, "x", List.of());
        counts[0] = 9;
        assertEquals(1, line.count(0));
        assertEquals(new IrqLine("5", new long[] {1, 2}, "x", List.of()), line); // by content
        assertFalse(line.equals(new IrqLine("5", new long[] {1, 3}, "x", List.of())));
    }
}
