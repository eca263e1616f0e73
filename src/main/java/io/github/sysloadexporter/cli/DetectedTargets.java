package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.detect.CpuGroup;
import io.github.sysloadexporter.detect.DetectionReport;
import io.github.sysloadexporter.detect.Disk;
import io.github.sysloadexporter.detect.DiskDetector;
import io.github.sysloadexporter.detect.DiskScan;
import io.github.sysloadexporter.detect.Excluded;
import io.github.sysloadexporter.detect.IrqChoice;
import io.github.sysloadexporter.detect.IrqMatcher;
import io.github.sysloadexporter.detect.Nic;
import io.github.sysloadexporter.detect.NicDetector;
import io.github.sysloadexporter.detect.NicScan;
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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch list: what sysfs shows, unless -i / -b name it explicitly. At debug level each
 * decision of a scan (every interface, IRQ line and block device, taken or not, and why) is
 * logged, when it differs from the last scan's: rescans repeat every minute, mostly unchanged.
 */
final class DetectedTargets implements Targets {
    private final Path sysfs;
    private final List<String> explicitNics;
    private final List<String> explicitDisks;
    private final Logger log;
    private List<String> nicDecisions = List.of();
    private List<String> diskDecisions = List.of();

    DetectedTargets(Path sysfs, List<String> explicitNics, List<String> explicitDisks) {
        this(sysfs, explicitNics, explicitDisks, LoggerFactory.getLogger(DetectedTargets.class));
    }

    /** As above, its decisions logged to {@code log}: for the tests of the debug output. */
    DetectedTargets(Path sysfs, List<String> explicitNics, List<String> explicitDisks, Logger log) {
        this.sysfs = sysfs;
        this.explicitNics = List.copyOf(explicitNics);
        this.explicitDisks = List.copyOf(explicitDisks);
        this.log = log;
    }

    @Override
    public NicWatch nics() throws IOException {
        List<Nic> nics = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        List<Excluded> excluded = List.of();
        if (explicitNics.isEmpty()) {
            NicScan scan = NicDetector.scan(sysfs);
            nics.addAll(scan.nics());
            excluded = scan.excluded();
        } else {
            for (String name : explicitNics) {
                if (NicDetector.isInterface(sysfs, name)) {
                    nics.add(NicDetector.describeWithSiblings(sysfs, name));
                } else {
                    patterns.add(name);
                }
            }
        }
        List<Nic> found = List.copyOf(nics);
        List<String> given = List.copyOf(patterns);
        List<Excluded> left = excluded;
        // The IRQ lines' decisions need /proc/interrupts, which the sampler reads next.
        Consumer<Interrupts> decided =
                log.isDebugEnabled() ? irqs -> logNicDecisions(found, left, given, irqs) : irqs -> {};
        return new Watch(found, IrqMatcher.tiedTo(nics), given, explicitNics, decided);
    }

    private void logNicDecisions(List<Nic> nics, List<Excluded> excluded, List<String> patterns, Interrupts irqs) {
        List<String> lines = new ArrayList<>(DetectionReport.nicDecisions(nics, excluded, irqs));
        for (String pattern : patterns) {
            List<IrqChoice> choices = IrqMatcher.patternIrqs(pattern, irqs);
            if (choices.isEmpty()) {
                lines.add("-i " + pattern + ": no interface of that name, and no IRQ line names it");
            }
            for (IrqChoice c : choices) {
                lines.add("-i " + pattern + ": IRQ " + c.irq() + " " + String.join(", ", c.actions()) + ": chosen, "
                        + c.why());
            }
        }
        nicDecisions = logIfChanged(lines, nicDecisions);
    }

    private List<String> logIfChanged(List<String> lines, List<String> last) {
        if (!lines.equals(last)) {
            for (String line : lines) {
                log.debug(line);
            }
        }
        return lines;
    }

    /** One scan's NICs: interfaces resolved in sysfs, and -i names that are not interfaces. */
    private record Watch(
            List<Nic> nics, IrqFilter tied, List<String> patterns, List<String> order, Consumer<Interrupts> decided)
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
            decided.accept(interrupts);
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
        DiskScan scan = explicitDisks.isEmpty()
                ? DiskDetector.scan(sysfs)
                : new DiskScan(DiskDetector.explicit(explicitDisks), List.of());
        if (log.isDebugEnabled()) {
            diskDecisions = logIfChanged(DetectionReport.diskDecisions(scan), diskDecisions);
        }
        List<Disk> disks = scan.disks();
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
