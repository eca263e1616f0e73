package io.github.sysloadexporter.detect;

import java.util.List;

/** The result of one scan of {@code block/}: the disks to watch and the devices left out. */
public record DiskScan(List<Disk> disks, List<Excluded> excluded) {
    public DiskScan {
        disks = List.copyOf(disks);
        excluded = List.copyOf(excluded);
    }
}
