package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.detect.NicDetector;
import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private UnknownNames() {
    }

    static List<String> warnings(Config c) {
        List<String> out = new ArrayList<>();
        ProcFs proc = new ProcFs(c.procfs());
        if (!c.nics().isEmpty()) {
            List<IrqLine> lines = List.of();
            boolean readable = true;
            try {
                Interrupts irqs = proc.interrupts((irq, actions) -> false); // names only, no counts
                lines = irqs.lines();
            } catch (IOException | ProcfsFormatException e) {
                readable = false; // only sysfs can vouch for the names
            }
            for (String name : c.nics()) {
                if (!NicDetector.isInterface(c.sysfs(), name) && !named(lines, name)) {
                    out.add("-i " + name + ": no interface of that name in " + c.sysfs().resolve("class/net")
                            + (readable ? " and no line of " + c.procfs().resolve("interrupts") + " names it"
                                    : " (" + c.procfs().resolve("interrupts") + " unreadable)")
                            + "; watched anyway, in case it appears");
                }
            }
        }
        if (!c.disks().isEmpty()) {
            Set<String> known = new HashSet<>(entries(c.sysfs().resolve("block")));
            try {
                for (DiskStat d : proc.diskStats().disks()) {
                    known.add(d.name());
                }
            } catch (IOException e) {
                // unreadable: only sysfs can vouch for the names
            }
            for (String name : c.disks()) {
                if (!known.contains(name)) {
                    out.add("-b " + name + ": no block device of that name in " + c.sysfs().resolve("block")
                            + " or " + c.procfs().resolve("diskstats") + "; watched anyway, in case it appears");
                }
            }
        }
        return out;
    }

    private static boolean named(List<IrqLine> lines, String name) {
        for (IrqLine line : lines) {
            for (String action : line.actions()) {
                if (action.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> entries(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            // no block/ here
        }
        return names;
    }
}
