package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.procfs.SelfStatus;
import io.github.sysloadexporter.sysload.ProcessStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The exporter's own CPU, memory and descriptors. Always this process's /proc/self, whatever
 * --path.procfs says: that flag points at the host being watched, not at us.
 */
final class ProcessStatsReader implements Supplier<ProcessStats> {
    private static final Path SELF_STATUS = Path.of("/proc/self/status");

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final double startSeconds = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;

    @Override
    public ProcessStats get() {
        double cpu = -1;
        long open = -1;
        long max = -1;
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long nanos = unix.getProcessCpuTime();
            cpu = nanos >= 0 ? nanos / 1e9 : -1;
            open = unix.getOpenFileDescriptorCount();
            max = unix.getMaxFileDescriptorCount();
        }
        long rss = -1;
        long vsize = -1;
        try {
            SelfStatus s = SelfStatus.parse(SELF_STATUS.toString(), Files.readString(SELF_STATUS));
            rss = s.residentBytes();
            vsize = s.virtualBytes();
        } catch (IOException | ProcfsFormatException e) {
            // Not on Linux, or /proc hidden: the memory metrics are simply left out.
        }
        return new ProcessStats(cpu, rss, vsize, open, max, startSeconds);
    }
}
