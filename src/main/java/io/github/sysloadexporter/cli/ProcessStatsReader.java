package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.procfs.SelfProcess;
import io.github.sysloadexporter.sysload.ProcessStats;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The exporter's own CPU, memory and descriptors. Always this process's /proc/self, whatever
 * --path.procfs says: that flag points at the host being watched, not at us. Read by scrapes,
 * which may run at once: one at a time, for the buffers are reused.
 */
final class ProcessStatsReader implements Supplier<ProcessStats> {
    private final SelfProcess self = SelfProcess.current();
    private final double startSeconds = ProcessHandle.current()
            .info()
            .startInstant()
            .map(i -> i.toEpochMilli() / 1000.0)
            .orElse(-1.0);
    private final long maxFds = maxFds(self);

    @Override
    public synchronized ProcessStats get() {
        try {
            SelfProcess.Usage u = self.read();
            return new ProcessStats(
                    u.cpuSeconds(), u.residentBytes(), u.virtualBytes(), u.openFds(), maxFds, startSeconds);
        } catch (IOException | ProcfsFormatException e) {
            // Not on Linux, or /proc hidden: the process metrics are simply left out.
            return new ProcessStats(-1, -1, -1, -1, maxFds, startSeconds);
        }
    }

    private static long maxFds(SelfProcess self) {
        try {
            return self.maxFds();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
