package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.detect.CpuGroup;
import io.github.sysloadexporter.detect.Disk;
import io.github.sysloadexporter.detect.DiskDetector;
import io.github.sysloadexporter.detect.IrqMatcher;
import io.github.sysloadexporter.detect.Nic;
import io.github.sysloadexporter.detect.NicDetector;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.sysload.Targets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The watch list: what sysfs shows, unless -i / -b name it explicitly. */
final class DetectedTargets implements Targets {
    private final Path sysfs;
    private final List<String> explicitNics;
    private final List<String> explicitDisks;

    DetectedTargets(Path sysfs, List<String> explicitNics, List<String> explicitDisks) {
        this.sysfs = sysfs;
        this.explicitNics = List.copyOf(explicitNics);
        this.explicitDisks = List.copyOf(explicitDisks);
    }

    @Override
    public Map<String, Set<String>> nicReceiveIrqs(Interrupts interrupts) throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (explicitNics.isEmpty()) {
            for (Nic nic : NicDetector.scan(sysfs).nics()) {
                out.put(nic.name(), IrqMatcher.labels(IrqMatcher.receiveIrqs(nic, interrupts)));
            }
        } else {
            for (String name : explicitNics) {
                out.put(name, IrqMatcher.labels(IrqMatcher.explicitIrqs(sysfs, name, interrupts)));
            }
        }
        return out;
    }

    @Override
    public Set<String> disks() throws IOException {
        List<Disk> disks = explicitDisks.isEmpty() ? DiskDetector.scan(sysfs).disks() : DiskDetector.explicit(explicitDisks);
        Set<String> names = new LinkedHashSet<>();
        for (Disk d : disks) {
            names.add(d.name());
        }
        return names;
    }

    @Override
    public Set<Integer> servingCpus(Interrupts older, Interrupts newer, Set<String> irqs) {
        return CpuGroup.busyCpus(older, newer, irqs);
    }
}
