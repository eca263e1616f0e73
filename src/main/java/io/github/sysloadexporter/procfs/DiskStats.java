package io.github.sysloadexporter.procfs;

import java.util.List;
import java.util.Set;

/**
 * /proc/diskstats.
 *
 * @param disks        one entry per good line, in file order
 * @param skippedNames devices whose line was skipped although its name could be read: they
 *                     are still there, only this reading of them is missing
 * @param skipped      lines that could not be parsed
 */
public record DiskStats(List<DiskStat> disks, Set<String> skippedNames, Skipped skipped) {
    public DiskStats {
        disks = List.copyOf(disks);
        skippedNames = Set.copyOf(skippedNames);
    }
}
