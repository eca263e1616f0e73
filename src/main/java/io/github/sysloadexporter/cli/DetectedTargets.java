package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.detect.CpuGroup;
import io.github.sysloadexporter.detect.Disk;
import io.github.sysloadexporter.detect.DiskDetector;
import io.github.sysloadexporter.detect.IrqMatcher;
import io.github.sysloadexporter.detect.Nic;
import io.github.sysloadexporter.detect.NicDetector;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.sysload.Targets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    public NicWatch nics() throws IOException {
        List<Nic> nics = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        if (explicitNics.isEmpty()) {
            nics.addAll(NicDetector.scan(sysfs).nics());
        } else {
            for (String name : explicitNics) {
                if (NicDetector.isInterface(sysfs, name)) {
                    nics.add(NicDetector.describeWithSiblings(sysfs, name));
                } else {
                    patterns.add(name);
                }
            }
        }
        return new Watch(List.copyOf(nics), IrqMatcher.tiedTo(nics), List.copyOf(patterns), explicitNics);
    }

    /** One scan's NICs: interfaces resolved in sysfs, and -i names that are not interfaces. */
    private record Watch(List<Nic> nics, IrqFilter tied, List<String> patterns, List<String> order)
            implements NicWatch {
        @Override
        public boolean keepCounts(String irq, List<String> actions) {
            if (tied.keepCounts(irq, actions)) {
                return true;
            }
            for (String pattern : patterns) {
                if (IrqMatcher.actionContaining(pattern, actions) != null) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Map<String, Set<String>> receiveIrqs(Interrupts interrupts) {
            Map<String, Set<String>> out = new LinkedHashMap<>();
            for (Nic nic : nics) {
                out.put(nic.name(), IrqMatcher.labels(IrqMatcher.receiveIrqs(nic, interrupts)));
            }
            for (String pattern : patterns) {
                out.put(pattern, IrqMatcher.labels(IrqMatcher.patternIrqs(pattern, interrupts)));
            }
            if (order.isEmpty()) {
                return out;
            }
            // -i order, as given
            Map<String, Set<String>> ordered = new LinkedHashMap<>();
            for (String name : order) {
                Set<String> irqs = out.get(name);
                if (irqs != null) {
                    ordered.put(name, irqs);
                }
            }
            return ordered;
        }
    }

    @Override
    public Set<String> disks() throws IOException {
        List<Disk> disks =
                explicitDisks.isEmpty() ? DiskDetector.scan(sysfs).disks() : DiskDetector.explicit(explicitDisks);
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
