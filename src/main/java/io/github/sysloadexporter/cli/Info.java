package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.detect.DetectedTargets;
import io.github.sysloadexporter.detect.DetectionReport;
import io.github.sysloadexporter.detect.DiskDetector;
import io.github.sysloadexporter.detect.DiskScan;
import io.github.sysloadexporter.detect.Excluded;
import io.github.sysloadexporter.detect.GivenNic;
import io.github.sysloadexporter.detect.IrqChoice;
import io.github.sysloadexporter.detect.NicDetector;
import io.github.sysloadexporter.metrics.BuildInfo;
import io.github.sysloadexporter.procfs.FileErrors;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.sysload.CpuGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --info}: the configuration, what was found and why, and which CPUs serve each NIC now. */
final class Info {
    static final long WATCH_MILLIS = 1000;

    private Info() {}

    static String render(Config c) throws IOException, ProcfsFormatException, InterruptedException {
        StringBuilder out = new StringBuilder();
        out.append("sysload-exporter ").append(BuildInfo.current().version()).append('\n');
        out.append("Configuration:\n");
        line(
                out,
                "listen address",
                c.listen().getHostString() + ":" + c.listen().getPort());
        line(out, "telemetry path", c.telemetryPath());
        line(out, "procfs", c.procfs().toString());
        line(out, "sysfs", c.sysfs().toString());
        line(out, "refresh rate", c.refreshSeconds() + " s");
        line(out, "interrupt threshold", c.interruptThreshold() + " %");
        line(out, "saturation threshold", c.saturationThreshold() + " %");

        List<String> warnings = UnknownNames.warnings(c);
        if (!warnings.isEmpty()) {
            out.append("Warnings:\n");
            warnings.forEach(w -> out.append("  ").append(w).append('\n'));
        }
        ProcFs proc = new ProcFs(c.procfs());
        DetectedTargets targets = new DetectedTargets(c.sysfs(), c.nics(), c.disks());
        Interrupts before = proc.interrupts();
        if (c.nics().isEmpty() && c.disks().isEmpty()) {
            out.append(DetectionReport.render(NicDetector.scan(c.sysfs()), before, disks(c.sysfs())));
        } else {
            out.append("Network interfaces").append(c.nics().isEmpty() ? " (detected):\n" : " (given with -i):\n");
            targets.rescanNics();
            if (c.nics().isEmpty()) {
                targets.nicReceiveLines(before)
                        .forEach((nic, irqs) -> out.append("  ")
                                .append(nic)
                                .append(": receive IRQs ")
                                .append(irqs)
                                .append('\n'));
            }
            for (String name : c.nics()) {
                List<IrqChoice> irqs = GivenNic.resolve(c.sysfs(), name).receiveIrqs(before);
                out.append("  ").append(name).append(irqs.isEmpty() ? ": no IRQ line matches\n" : ":\n");
                for (IrqChoice i : irqs) {
                    out.append("    IRQ ")
                            .append(i.irq())
                            .append(' ')
                            .append(String.join(", ", i.actions()))
                            .append(": ")
                            .append(i.why())
                            .append('\n');
                }
            }
            out.append("Block devices").append(c.disks().isEmpty() ? " (detected):\n" : " (given with -b):\n");
            targets.diskScan()
                    .disks()
                    .forEach(d -> out.append("  ")
                            .append(d.name())
                            .append(": ")
                            .append(d.why())
                            .append('\n'));
        }

        // Which CPUs serve each NIC is only known from growth: watch for a moment.
        Thread.sleep(WATCH_MILLIS);
        Interrupts after = proc.interrupts();
        out.append("CPUs serving receive interrupts (growth over ")
                .append(WATCH_MILLIS)
                .append(" ms):\n");
        Map<String, Set<String>> nics = targets.nicReceiveLines(after);
        if (nics.isEmpty()) {
            out.append("  no NIC watched: si_cpu is the all-CPU figure\n");
        }
        for (Map.Entry<String, Set<String>> nic : nics.entrySet()) {
            Set<Integer> cpus = CpuGroup.busyCpus(before, after, nic.getValue());
            out.append("  ")
                    .append(nic.getKey())
                    .append(": ")
                    .append(
                            cpus.isEmpty()
                                    ? "none seen (no receive interrupt meanwhile); until one is, its group is all CPUs"
                                    : "CPU " + cpus)
                    .append('\n');
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append("  ").append(String.format("%-20s", key)).append(value).append('\n');
    }

    /** The disk scan, or, when block/ cannot be listed (a container's sysfs), why no disk is watched. */
    private static DiskScan disks(Path sysfs) {
        try {
            return DiskDetector.scan(sysfs);
        } catch (IOException e) {
            return new DiskScan(
                    List.of(), List.of(new Excluded("block/", "cannot be listed: " + FileErrors.describe(e))));
        }
    }
}
