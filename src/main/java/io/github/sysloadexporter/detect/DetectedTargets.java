package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.sysload.Targets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection as the sampler asks for it: the NICs and disks sysfs shows, unless -i / -b name
 * them. At debug level each decision of a scan (every interface, IRQ line and block device,
 * taken or not, and why) is logged, when it differs from the last scan's: rescans repeat every
 * minute, mostly unchanged. Driven by the sampler's thread; not thread-safe.
 */
public final class DetectedTargets implements Targets {
    private final Path sysfs;
    private final List<String> givenNics;
    private final List<String> givenDisks;
    private final Logger log;
    /** The last scan's: the interfaces found, those left out, and the -i names that are patterns. */
    private List<Nic> nics = List.of();

    private List<Excluded> excluded = List.of();
    private List<GivenNic> patterns = List.of();
    private List<String> nicDecisions = List.of();
    private List<String> diskDecisions = List.of();

    public DetectedTargets(Path sysfs, List<String> givenNics, List<String> givenDisks) {
        this(sysfs, givenNics, givenDisks, LoggerFactory.getLogger(DetectedTargets.class));
    }

    /** As above, its decisions logged to {@code log}: for the tests of the debug output. */
    DetectedTargets(Path sysfs, List<String> givenNics, List<String> givenDisks, Logger log) {
        this.sysfs = sysfs;
        this.givenNics = List.copyOf(givenNics);
        this.givenDisks = List.copyOf(givenDisks);
        this.log = log;
    }

    @Override
    public void rescanNics() throws IOException {
        if (givenNics.isEmpty()) {
            NicScan scan = NicDetector.scan(sysfs);
            nics = scan.nics();
            excluded = scan.excluded();
            return;
        }
        List<Nic> found = new ArrayList<>();
        List<GivenNic> given = new ArrayList<>();
        for (String name : givenNics) {
            GivenNic g = GivenNic.resolve(sysfs, name);
            g.iface().ifPresentOrElse(found::add, () -> given.add(g));
        }
        nics = List.copyOf(found);
        excluded = List.of();
        patterns = List.copyOf(given);
    }

    @Override
    public Map<String, Set<String>> nicReceiveLines(Interrupts interrupts) {
        if (log.isDebugEnabled()) {
            logNicDecisions(interrupts);
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Nic nic : nics) {
            out.put(nic.name(), IrqMatcher.labels(IrqMatcher.receiveIrqs(nic, interrupts)));
        }
        for (GivenNic pattern : patterns) {
            out.put(pattern.name(), IrqMatcher.labels(pattern.receiveIrqs(interrupts)));
        }
        if (givenNics.isEmpty()) {
            return out;
        }
        // -i order, as given: of NICs whose groups are alike, the first is si_cpu's
        Map<String, Set<String>> ordered = new LinkedHashMap<>();
        for (String name : givenNics) {
            Set<String> irqs = out.get(name);
            if (irqs != null) {
                ordered.put(name, irqs);
            }
        }
        return ordered;
    }

    @Override
    public Set<String> disks() throws IOException {
        DiskScan scan = diskScan();
        if (log.isDebugEnabled()) {
            diskDecisions = logIfChanged(DetectionReport.diskDecisions(scan), diskDecisions);
        }
        Set<String> names = new LinkedHashSet<>();
        for (Disk d : scan.disks()) {
            names.add(d.name());
        }
        return names;
    }

    /** The disks found in sysfs, or those given with -b, each with why it is watched. */
    public DiskScan diskScan() throws IOException {
        return givenDisks.isEmpty()
                ? DiskDetector.scan(sysfs)
                : new DiskScan(DiskDetector.explicit(givenDisks), List.of());
    }

    private void logNicDecisions(Interrupts irqs) {
        List<String> lines = new ArrayList<>(DetectionReport.nicDecisions(nics, excluded, irqs));
        for (GivenNic pattern : patterns) {
            List<IrqChoice> choices = pattern.receiveIrqs(irqs);
            if (choices.isEmpty()) {
                lines.add("-i " + pattern.name() + ": no interface of that name, and no IRQ line names it");
            }
            for (IrqChoice c : choices) {
                lines.add("-i " + pattern.name() + ": IRQ " + c.irq() + " " + String.join(", ", c.actions())
                        + ": chosen, " + c.why());
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
}
