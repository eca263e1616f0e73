package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.detect.DiskDetector;
import io.github.sysloadexporter.detect.DiskScan;
import io.github.sysloadexporter.detect.GivenNic;
import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Names given with {@code -i} or {@code -b} that name nothing on this host now, most likely a
 * typo: one warning each at start and in {@code --info}. They are watched all the same, in
 * case the device appears later (a hot-plugged disk, a NIC whose driver loads late).
 */
final class UnknownNames {
    private UnknownNames() {}

    static List<String> warnings(Config c) {
        List<String> out = new ArrayList<>();
        ProcFs proc = new ProcFs(c.procfs());
        if (!c.nics().isEmpty()) {
            Interrupts irqs = null;
            try {
                irqs = proc.interrupts(IrqFilter.NONE);
            } catch (IOException | ProcfsFormatException e) {
                // unreadable: only sysfs can vouch for the names
            }
            boolean readable = irqs != null;
            for (String name : c.nics()) {
                if (namesNothing(c, name, irqs)) {
                    out.add("-i " + name + ": no interface of that name in "
                            + c.sysfs().resolve("class/net")
                            + (readable
                                    ? " and no line of " + c.procfs().resolve("interrupts") + " names it"
                                    : " (" + c.procfs().resolve("interrupts") + " unreadable)")
                            + "; watched anyway, in case it appears");
                }
            }
        }
        if (!c.disks().isEmpty()) {
            Set<String> known = new HashSet<>();
            try {
                // every entry of block/, watched or not
                DiskScan scan = DiskDetector.scan(c.sysfs());
                scan.disks().forEach(d -> known.add(d.name()));
                scan.excluded().forEach(x -> known.add(x.name()));
            } catch (IOException e) {
                // no block/ here
            }
            try {
                for (DiskStat d : proc.diskStats().disks()) {
                    known.add(d.name());
                }
            } catch (IOException e) {
                // unreadable: only sysfs can vouch for the names
            }
            for (String name : c.disks()) {
                if (!known.contains(name)) {
                    out.add("-b " + name + ": no block device of that name in "
                            + c.sysfs().resolve("block") + " or " + c.procfs().resolve("diskstats")
                            + "; watched anyway, in case it appears");
                }
            }
        }
        return out;
    }

    private static boolean namesNothing(Config c, String name, Interrupts irqs) {
        try {
            return GivenNic.resolve(c.sysfs(), name).namesNothing(irqs);
        } catch (IOException e) {
            return false; // an interface, though one that cannot be described: the sampler says so
        }
    }
}
