package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sysloadexporter.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NicDetectorTest {

    @Test
    void virtioMachineHasOnlyEth0OnVirtio2() throws IOException {
        NicScan scan = NicDetector.scan(Fixtures.sysfs("virtio-2cpu"));

        assertEquals(
                List.of(new Nic(
                        "eth0",
                        Optional.of("virtio_net"),
                        Optional.of("virtio2"),
                        Optional.of("0000:00:03.0"),
                        Set.of(37, 38, 39),
                        Set.of(),
                        "device link -> devices/pci0000:00/0000:00:03.0/virtio2, driver virtio_net, virtio device virtio2,"
                                + " PCI function 0000:00:03.0, MSI IRQs [37, 38, 39]")),
                scan.nics());
        assertEquals(
                List.of(
                        new Excluded("ifb0", "ifb (traffic shaping redirect), no device link"),
                        new Excluded("ifb1", "ifb (traffic shaping redirect), no device link"),
                        new Excluded("lo", "loopback")),
                scan.excluded());
    }

    @Test
    void metalMachineHasTwoPciNicsAndSkipsEveryVirtualKind() throws IOException {
        NicScan scan = NicDetector.scan(Fixtures.sysfs("metal-64cpu"));

        Set<Integer> ixgbe = IntStream.rangeClosed(130, 138).boxed().collect(Collectors.toSet());
        Set<Integer> mlx5 = IntStream.rangeClosed(100, 116).boxed().collect(Collectors.toSet());
        assertEquals(
                List.of(
                        new Nic(
                                "eno1",
                                Optional.of("ixgbe"),
                                Optional.empty(),
                                Optional.of("0000:19:00.0"),
                                ixgbe,
                                Set.of(),
                                "device link -> devices/pci0000:17/0000:17:00.0/0000:19:00.0, driver ixgbe,"
                                        + " PCI function 0000:19:00.0, MSI IRQs "
                                        + ixgbe.stream().sorted().toList()),
                        new Nic(
                                "ens1f0np0",
                                Optional.of("mlx5_core"),
                                Optional.empty(),
                                Optional.of("0000:5e:00.0"),
                                mlx5,
                                Set.of(),
                                "device link -> devices/pci0000:5d/0000:5d:00.0/0000:5e:00.0, driver mlx5_core,"
                                        + " PCI function 0000:5e:00.0, MSI IRQs "
                                        + mlx5.stream().sorted().toList())),
                scan.nics());
        assertEquals(
                List.of(
                        new Excluded("bond0", "bond master (has bonding/): its traffic arrives through its slaves"),
                        new Excluded("br0", "bridge (has bridge/): its traffic arrives through its ports"),
                        new Excluded("docker0", "bridge (has bridge/): its traffic arrives through its ports"),
                        new Excluded("lo", "loopback"),
                        new Excluded("tun0", "tun/tap (has tun_flags): a user-space interface without IRQs"),
                        new Excluded("veth1a2b3c", "veth pair end, no device link")),
                scan.excluded());
    }

    @Test
    void unnamedVirtualInterfaceAndPlatformDevice(@TempDir Path sysfs) throws IOException {
        Path net = Files.createDirectories(sysfs.resolve("class/net"));
        Files.createDirectories(net.resolve("wg0"));
        // a NIC on a platform bus (SoC): neither virtio nor PCI, so only its name can match
        Path mac = Files.createDirectories(sysfs.resolve("devices/platform/fe300000.ethernet"));
        Files.createDirectories(net.resolve("end0"));
        Files.createSymbolicLink(net.resolve("end0/device"), mac);

        NicScan scan = NicDetector.scan(sysfs);

        assertEquals(
                List.of(new Nic(
                        "end0",
                        Optional.empty(),
                        Optional.empty(),
                        Set.of(),
                        "device link -> devices/platform/fe300000.ethernet")),
                scan.nics());
        assertEquals(
                List.of(new Excluded("wg0", "no device link: a virtual interface without IRQs of its own")),
                scan.excluded());
    }

    @Test
    void missingClassNetIsAnError(@TempDir Path sysfs) {
        assertThrows(IOException.class, () -> NicDetector.scan(sysfs));
    }
}
