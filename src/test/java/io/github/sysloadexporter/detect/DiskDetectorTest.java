package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskDetectorTest {
    private static final String LOOP = "loop device: its I/O is counted on the disk holding the file";

    @Test
    void virtioMachineWatchesVdaOnly() throws IOException {
        DiskScan scan = DiskDetector.scan(Fixtures.sysfs("virtio-2cpu"));

        assertEquals(
                List.of(new Disk(
                        "vda",
                        "name of the original's pattern sd*|vd*|hd*|xvd*"
                                + " (devices/pci0000:00/0000:00:02.0/virtio1/block/vda)")),
                scan.disks());
        List<Excluded> excluded = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            excluded.add(new Excluded("loop" + i, LOOP));
        }
        excluded.add(new Excluded("zram0", "zram: compressed RAM, not a disk"));
        assertEquals(excluded, scan.excluded());
    }

    @Test
    void metalMachineWatchesWholeHardwareDisks() throws IOException {
        DiskScan scan = DiskDetector.scan(Fixtures.sysfs("metal-64cpu"));

        assertEquals(
                List.of(
                        new Disk(
                                "mmcblk0",
                                "MMC/SD card or eMMC"
                                        + " (devices/platform/soc/fe340000.mmc/mmc_host/mmc0/mmc0:0001/block/mmcblk0)"),
                        new Disk(
                                "nvme0n1",
                                "NVMe namespace"
                                        + " (devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0/nvme0n1)"),
                        // native multipath puts the namespace under devices/virtual: kept by its name
                        new Disk("nvme1n1", "NVMe namespace (devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1)"),
                        new Disk(
                                "sda",
                                "name of the original's pattern sd*|vd*|hd*|xvd*"
                                        + " (devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda)")),
                scan.disks());
        assertEquals(
                List.of(
                        new Excluded(
                                "dm-0",
                                "virtual device (devices/virtual/block/dm-0):"
                                        + " its I/O is counted on the disks below it"),
                        new Excluded("loop0", LOOP),
                        new Excluded(
                                "md0",
                                "virtual device (devices/virtual/block/md0):"
                                        + " its I/O is counted on the disks below it"),
                        new Excluded("mmcblk0boot0", "eMMC boot partition: counted on its whole device"),
                        new Excluded("mmcblk0rpmb", "eMMC replay-protected memory block, not a data area"),
                        new Excluded(
                                "nvme1c1n1",
                                "hidden per-controller path of a multipath NVMe namespace:"
                                        + " counted on the namespace"),
                        new Excluded("zram0", "zram: compressed RAM, not a disk")),
                scan.excluded());
    }

    /** Links block/NAME to devices/TARGET, creating the target directory. */
    private static Path link(Path sysfs, String name, String target) throws IOException {
        Path dir = Files.createDirectories(sysfs.resolve("devices").resolve(target));
        Files.createDirectories(sysfs.resolve("block"));
        Files.createSymbolicLink(
                sysfs.resolve("block").resolve(name), Path.of("../devices").resolve(target));
        return dir;
    }

    @Test
    void partitionsRamHiddenAndVirtualAreExcludedButTheOldPatternIsKept(@TempDir Path sysfs) throws IOException {
        Files.writeString(
                link(sysfs, "sdb1", "pci0000:00/0000:00:17.0/block/sdb/sdb1").resolve("partition"), "1\n");
        link(sysfs, "ram0", "virtual/block/ram0");
        link(sysfs, "nbd0", "virtual/block/nbd0");
        // a Xen or test setup may put an old-pattern name under devices/virtual: still watched
        link(sysfs, "xvda", "virtual/block/xvda");
        Files.writeString(
                link(sysfs, "sdz", "pci0000:00/0000:00:18.0/block/sdz").resolve("hidden"), "1\n");
        // a name no rule knows, backed by hardware
        link(sysfs, "pmem0", "LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus0/region0/namespace0.0/block/pmem0");

        DiskScan scan = DiskDetector.scan(sysfs);

        assertEquals(
                List.of(
                        new Disk(
                                "pmem0",
                                "whole block device backed by hardware (devices/LNXSYSTM:00/LNXSYBUS:00"
                                        + "/ACPI0012:00/ndbus0/region0/namespace0.0/block/pmem0)"),
                        new Disk(
                                "xvda",
                                "name of the original's pattern sd*|vd*|hd*|xvd* (devices/virtual/block/xvda)")),
                scan.disks());
        assertEquals(
                List.of(
                        new Excluded(
                                "nbd0",
                                "virtual device (devices/virtual/block/nbd0): its I/O is counted on the disks below it"),
                        new Excluded("ram0", "ram disk"),
                        new Excluded("sdb1", "partition: counted on its whole disk"),
                        new Excluded("sdz", "hidden block device (hidden = 1)")),
                scan.excluded());
    }

    @Test
    void aDanglingLinkIsExcludedNotFatal(@TempDir Path sysfs) throws IOException {
        Files.createDirectories(sysfs.resolve("block"));
        Files.createSymbolicLink(sysfs.resolve("block/sdq"), Path.of("../devices/gone/sdq"));

        DiskScan scan = DiskDetector.scan(sysfs);

        assertEquals(List.of(), scan.disks());
        assertEquals("sdq", scan.excluded().get(0).name());
    }

    @Test
    void explicitNamesAreTakenAsGiven() {
        assertEquals(
                List.of(new Disk("sdb", "given with -b"), new Disk("dm-3", "given with -b")),
                DiskDetector.explicit(List.of("sdb", "dm-3")));
    }
}
