package io.github.sysloadexporter.detect;

import static io.github.sysloadexporter.testing.Fixtures.c;
import static io.github.sysloadexporter.testing.Fixtures.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;
import io.github.sysloadexporter.testing.Fixtures;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IrqMatcherTest {

    private static Nic nic(String name, String virtio, String pci, Integer... msi) {
        return new Nic(name, Optional.ofNullable(virtio), Optional.ofNullable(pci), Set.of(msi), "test");
    }

    private static List<String> receiveLabels(Nic nic, Interrupts interrupts) {
        return List.copyOf(IrqMatcher.labels(IrqMatcher.receiveIrqs(nic, interrupts)));
    }

    private static Map<String, Boolean> verdicts(Nic nic, Interrupts interrupts) {
        Map<String, Boolean> verdicts = new TreeMap<>();
        for (IrqChoice choice : IrqMatcher.classify(nic, interrupts)) {
            verdicts.put(choice.irq(), choice.receive());
        }
        return verdicts;
    }

    private static Interrupts twoCpus(IrqLine... lines) {
        return new Interrupts(Fixtures.cpus(2), List.of(lines));
    }

    @Test
    void eth0OnThisVmReceivesOnlyOnVirtio2Input() throws IOException {
        Nic eth0 = NicDetector.scan(Fixtures.sysfs("virtio-2cpu")).nics().get(0);
        Interrupts interrupts = Fixtures.interrupts("virtio-2cpu");

        assertEquals(List.of("38"), receiveLabels(eth0, interrupts));
        // config and output of the same device are tied to eth0 but rejected; the entropy
        // source's virtio4-input and vsock's virtio3-rx are not eth0's at all
        assertEquals(Map.of("37", false, "38", true, "39", false), verdicts(eth0, interrupts));
        IrqChoice chosen = IrqMatcher.receiveIrqs(eth0, interrupts).get(0);
        assertEquals(
                "action virtio2-input.0 is virtio2's; IRQ 38 is an MSI vector of 0000:00:03.0"
                        + " -> receive: receive queue (virtio_net {dev}-input.{n}, drivers/virtio/virtio_pci_common.c \"%s-%s\")",
                chosen.why());
    }

    /**
     * ibmvnic (IBM Power vNIC) names its vectors after the VIO unit address of its device:
     * its receive sub-CRQs are env3's receive lines, its transmit ones and its command queue
     * are env3's but not receive; another vNIC's lines, and the names of kernels before 5.2
     * that say no device, are not env3's at all.
     */
    @Test
    void ibmvnicReceiveQueuesByTheVioUnitAddress() throws IOException {
        Nic env3 = NicDetector.scan(Fixtures.sysfs("nic-ibm-powervm")).nics().stream()
                .filter(n -> n.name().equals("env3"))
                .findFirst()
                .orElseThrow();
        assertEquals(Optional.of("30000003"), env3.busDevice());
        assertTrue(env3.why().contains("VIO device 30000003"), env3.why());
        Interrupts interrupts = twoCpus(
                line("21", c(3, 0), "XIVE-IRQ 4115 Edge", "ibmvnic-30000003"),
                line("256", c(500, 0), "XIVE-IRQ 4352 Edge", "ibmvnic-30000003-tx0"),
                line("258", c(900, 0), "XIVE-IRQ 4354 Edge", "ibmvnic-30000003-rx0"),
                line("262", c(800, 0), "XIVE-IRQ 4358 Edge", "ibmvnic-30000004-rx0"),
                line("263", c(700, 0), "XIVE-IRQ 4359 Edge", "ibmvnic_rx"));
        assertEquals(Map.of("21", false, "256", false, "258", true), verdicts(env3, interrupts));
    }

    @Test
    void mlx5CompletionVectorsButNotItsAsyncVector() throws IOException {
        Nic mlx5 = NicDetector.scan(Fixtures.sysfs("metal-64cpu")).nics().get(1);
        assertEquals("ens1f0np0", mlx5.name());
        Interrupts interrupts = Fixtures.interrupts("metal-64cpu");

        List<String> expected =
                IntStream.rangeClosed(101, 116).mapToObj(String::valueOf).toList();
        assertEquals(expected, receiveLabels(mlx5, interrupts));
        IrqChoice async = IrqMatcher.classify(mlx5, interrupts).get(0);
        assertEquals("100", async.irq());
        assertFalse(async.receive());
        assertTrue(
                async.why()
                        .endsWith("not receive: control vector (mlx5_core mlx5_async{n}@pci:{pci},"
                                + " drivers/net/ethernet/mellanox/mlx5/core/pci_irq.c \"%s@pci:%s\")"),
                async.why());
    }

    @Test
    void mlx5IsFoundByPciAddressEvenWithoutMsiIrqs() {
        // e.g. msi_irqs unreadable in a container: the address in the action name still ties it
        Nic mlx5 = nic("ens1f0np0", null, "0000:5e:00.0");
        List<String> expected =
                IntStream.rangeClosed(101, 116).mapToObj(String::valueOf).toList();
        assertEquals(expected, receiveLabels(mlx5, Fixtures.interrupts("metal-64cpu")));
    }

    /**
     * The bare "eno1" line (138) is ixgbe's "other" vector (ixgbe_msix_other: link, mailbox)
     * beside its queue vectors: rejected. As a single-vector driver's only line it would be
     * chosen (see ixgbeInMsiModeHasOnlyTheBareName).
     */
    @Test
    void ixgbeQueueVectorsButNotTheOtherVector() throws IOException {
        Nic eno1 = NicDetector.scan(Fixtures.sysfs("metal-64cpu")).nics().get(0);
        assertEquals("eno1", eno1.name());
        assertEquals(Optional.of("ixgbe"), eno1.driver());

        List<String> expected =
                IntStream.rangeClosed(130, 137).mapToObj(String::valueOf).toList();
        assertEquals(expected, receiveLabels(eno1, Fixtures.interrupts("metal-64cpu")));
        IrqChoice other =
                IrqMatcher.classify(eno1, Fixtures.interrupts("metal-64cpu")).get(8);
        assertEquals("138", other.irq());
        assertTrue(other.why().contains("beside the NIC's queue vectors it is the \"other\" vector"), other.why());
    }

    @Test
    void ixgbeInMsiModeHasOnlyTheBareName() {
        Nic eth0 = new Nic(
                "eth0",
                Optional.of("ixgbe"),
                Optional.empty(),
                Optional.of("0000:19:00.0"),
                Set.of(70),
                Set.of(),
                "test");
        Interrupts interrupts = twoCpus(line("70", c(500, 9), "IR-PCI-MSI 9961472-edge", "eth0"));
        assertEquals(List.of("70"), receiveLabels(eth0, interrupts));
    }

    @Test
    void virtio2DoesNotMatchVirtio21() {
        Interrupts interrupts = twoCpus(
                line("50", c(5, 5), "PCI-MSIX-0000:00:15.0   1-edge", "virtio21-input.0"),
                line("51", c(5, 5), "PCI-MSIX-0000:00:03.0   1-edge", "virtio2-input.0"),
                line("52", c(5, 5), "PCI-MSIX-0000:00:03.0   3-edge", "virtio2-input.1"));

        assertEquals(List.of("51", "52"), receiveLabels(nic("eth0", "virtio2", null), interrupts));
    }

    @Test
    void transmitOnlyAndControlLinesAreRejectedButTxRxCounts() {
        Interrupts interrupts = twoCpus(
                line("60", c(1, 1), "PCI-MSI   0-edge", "eth0-rx-0"),
                line("61", c(1, 1), "PCI-MSI   1-edge", "eth0-tx-0"),
                line("62", c(1, 1), "PCI-MSI   2-edge", "eth0-TxRx-1"),
                line("63", c(1, 1), "PCI-MSI   3-edge", "eth01-rx-0"),
                line("64", c(1, 1), "PCI-MSI   4-edge", "eth0-config"),
                line("65", c(1, 1), "PCI-MSI   5-edge", "eth0-ctrl"),
                line("66", c(1, 1), "IO-APIC  16-fasteoi", "ehci_hcd:usb1", "eth0"),
                line("67", c(1, 1), "PCI-MSI   6-edge", "eth0x"));

        // driver unknown: by the words. The bare name beside queue vectors is the other vector.
        Nic eth0 = nic("eth0", null, null);
        assertEquals(List.of("60", "62"), receiveLabels(eth0, interrupts));
        assertEquals(
                Map.of("60", true, "61", false, "62", true, "64", false, "65", false, "66", false),
                verdicts(eth0, interrupts));
    }

    @Test
    void virtioTransmitConfigAndOtherQueuesAreRejected() {
        Interrupts interrupts = twoCpus(
                line("40", c(0, 0), "PCI-MSIX-0000:00:04.0   0-edge", "virtio3-config"),
                line("41", c(1, 0), "PCI-MSIX-0000:00:04.0   1-edge", "virtio3-rx"),
                line("42", c(0, 2), "PCI-MSIX-0000:00:04.0   2-edge", "virtio3-tx"),
                line("43", c(1, 0), "PCI-MSIX-0000:00:04.0   3-edge", "virtio3-event"),
                line("44", c(1, 0), "PCI-MSIX-0000:00:04.0   4-edge", "virtio3-output.0"));

        // only -input.N is a virtio-net receive queue: vsock's "rx" is not one
        assertEquals(
                Map.of("40", false, "41", false, "42", false, "43", false, "44", false),
                verdicts(nic("eth9", "virtio3", "0000:00:04.0", 40, 41, 42, 43, 44), interrupts));
    }

    @Test
    void virtioWithASharedVectorOrIntxStillHasAReceiveLine() {
        Interrupts shared = twoCpus(
                line("24", c(0, 0), "PCI-MSI   0-edge", "virtio2-config"),
                line("25", c(9, 9), "PCI-MSI   1-edge", "virtio2-virtqueues"));
        Interrupts intx = twoCpus(line("11", c(9, 9), "IO-APIC  11-fasteoi", "uhci_hcd:usb1", "virtio2"));

        assertEquals(List.of("25"), receiveLabels(nic("eth0", "virtio2", null), shared));
        assertEquals(List.of("11"), receiveLabels(nic("eth0", "virtio2", null), intx));
    }

    @Test
    void pciAddressMustBeAWholeToken() {
        assertTrue(IrqMatcher.containsPciAddress("mlx5_comp3@pci:0000:5e:00.0", "0000:5e:00.0"));
        assertFalse(IrqMatcher.containsPciAddress("mlx5_comp3@pci:10000:5e:00.0", "0000:5e:00.0"));
        assertFalse(IrqMatcher.containsPciAddress("mlx5_comp3@pci:0000:5e:00.01", "0000:5e:00.0"));
    }

    @Test
    void namedLinesAndOtherDevicesNeverMatch() {
        // eno2 is the second port of the ixgbe card: its name is not a prefix match of
        // eno1's lines and its PCI function and vectors differ
        assertEquals(
                List.of(),
                IrqMatcher.classify(nic("eno2", null, "0000:19:00.1", 139), Fixtures.interrupts("metal-64cpu")));
    }

    /** The interface's own name is no word of its vectors: an interface called mgmt is no control vector. */
    @Test
    void anInterfaceNamedLikeAControlWordKeepsItsLines() {
        Nic mgmt = nic("mgmt", null, null);
        assertEquals(List.of("70"), receiveLabels(mgmt, twoCpus(line("70", c(9, 9), "PCI-MSI 1-edge", "mgmt"))));
        assertEquals(
                List.of("71"),
                receiveLabels(
                        mgmt,
                        twoCpus(
                                line("71", c(9, 9), "PCI-MSI 1-edge", "mgmt-rx-0"),
                                line("72", c(9, 9), "PCI-MSI 2-edge", "mgmt-tx-0"))));
    }

    /** Of the forms that fit a name made at probe, the one that leaves the shortest name. */
    @Test
    void aProbeTimeNameIsReadByItsMostSpecificForm() {
        Nic sfc = new Nic(
                "ens1f0np0",
                Optional.of("sfc"),
                Optional.empty(),
                Optional.of("0000:3b:00.0"),
                Set.of(40, 41),
                Set.of(),
                "test");
        Interrupts irqs = twoCpus(
                line("40", c(9, 9), "PCI-MSI 1-edge", "eth0-tx-0"), line("41", c(9, 9), "PCI-MSI 2-edge", "eth0-0"));
        assertEquals(Map.of("40", false, "41", true), verdicts(sfc, irqs));
    }
}
