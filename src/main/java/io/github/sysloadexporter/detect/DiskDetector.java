package io.github.sysloadexporter.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds the disks to watch under {@code <sysfs>/block}. */
public final class DiskDetector {
    /** The original's fixed pattern {@code sd*|vd*|hd*|xvd*}: always kept, so nothing it watched is lost. */
    private static final Pattern OLD_PATTERN = Pattern.compile("(sd|vd|hd|xvd).*");

    private static final Pattern NVME_NAMESPACE = Pattern.compile("nvme\\d+n\\d+");
    /** Per-controller path of a multipathed namespace; its I/O is also counted on nvmeXnY. */
    private static final Pattern NVME_PATH = Pattern.compile("nvme\\d+c\\d+n\\d+");

    private static final Pattern MMC = Pattern.compile("mmcblk\\d+");
    private static final Pattern MMC_BOOT = Pattern.compile("mmcblk\\d+boot\\d+");
    private static final Pattern MMC_RPMB = Pattern.compile("mmcblk\\d+rpmb");
    private static final Pattern LOOP = Pattern.compile("loop\\d+");
    private static final Pattern RAM = Pattern.compile("ram\\d+");
    private static final Pattern ZRAM = Pattern.compile("zram\\d+");

    private DiskDetector() {}

    /**
     * Scans {@code <sysfs>/block}.
     *
     * @throws IOException if the directory cannot be listed; a device that cannot be read (it may
     *                     be removed during the scan) is excluded instead
     */
    public static DiskScan scan(Path sysfs) throws IOException {
        List<Disk> disks = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        for (String name : SysfsTree.sortedEntries(sysfs.resolve("block"))) {
            Path entry = sysfs.resolve("block").resolve(name);
            String target;
            try {
                target = SysfsTree.relative(sysfs, entry.toRealPath());
            } catch (IOException e) {
                excluded.add(new Excluded(name, "could not be read: " + e));
                continue;
            }
            Optional<String> rejection = rejection(entry, name, target);
            if (rejection.isPresent()) {
                excluded.add(new Excluded(name, rejection.get()));
            } else {
                disks.add(new Disk(name, inclusion(name, target)));
            }
        }
        return new DiskScan(disks, excluded);
    }

    /** Explicit {@code -b} names: taken as given, as the original did. */
    public static List<Disk> explicit(List<String> names) {
        List<Disk> disks = new ArrayList<>();
        for (String name : names) {
            disks.add(new Disk(name, "given with -b"));
        }
        return disks;
    }

    private static Optional<String> rejection(Path entry, String name, String target) {
        if (LOOP.matcher(name).matches()) {
            return Optional.of("loop device: its I/O is counted on the disk holding the file");
        }
        if (ZRAM.matcher(name).matches()) {
            return Optional.of("zram: compressed RAM, not a disk");
        }
        if (RAM.matcher(name).matches()) {
            return Optional.of("ram disk");
        }
        if (Files.exists(entry.resolve("partition"))) {
            return Optional.of("partition: counted on its whole disk");
        }
        if (MMC_BOOT.matcher(name).matches()) {
            return Optional.of("eMMC boot partition: counted on its whole device");
        }
        if (MMC_RPMB.matcher(name).matches()) {
            return Optional.of("eMMC replay-protected memory block, not a data area");
        }
        if (NVME_PATH.matcher(name).matches()) {
            return Optional.of(
                    "hidden per-controller path of a multipath NVMe namespace: " + "counted on the namespace");
        }
        if (isHidden(entry)) {
            return Optional.of("hidden block device (hidden = 1)");
        }
        if (OLD_PATTERN.matcher(name).matches()
                || NVME_NAMESPACE.matcher(name).matches()
                || MMC.matcher(name).matches()) {
            return Optional.empty();
        }
        if (target.startsWith("devices/virtual/")) {
            return Optional.of("virtual device (" + target + "): its I/O is counted on the disks below it");
        }
        return Optional.empty();
    }

    private static String inclusion(String name, String target) {
        if (NVME_NAMESPACE.matcher(name).matches()) {
            return "NVMe namespace (" + target + ")";
        }
        if (MMC.matcher(name).matches()) {
            return "MMC/SD card or eMMC (" + target + ")";
        }
        if (OLD_PATTERN.matcher(name).matches()) {
            return "name of the original's pattern sd*|vd*|hd*|xvd* (" + target + ")";
        }
        return "whole block device backed by hardware (" + target + ")";
    }

    private static boolean isHidden(Path entry) {
        // older kernels have no hidden attribute: nothing is hidden there
        return SysfsTree.attribute(entry.resolve("hidden")).filter("1"::equals).isPresent();
    }
}
