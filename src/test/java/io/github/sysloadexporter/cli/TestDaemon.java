package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.web.ServerLimits;
import io.github.sysloadexporter.web.WebSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/** The daemon in the test's own JVM, as the command line's defaults configure it. */
final class TestDaemon {
    private TestDaemon() {}

    /** The defaults of the flags, on a loopback port that the kernel picks, plain HTTP. */
    static Config config(Path procfs, Path sysfs, List<String> nics, List<String> disks) {
        return new Config(
                new InetSocketAddress("127.0.0.1", 0),
                "/metrics",
                procfs,
                sysfs,
                1,
                nics,
                disks,
                40,
                90,
                WebSecurity.none(),
                ServerLimits.DEFAULTS);
    }

    /** Started but not scheduled: the test ticks its sampler itself, on clocks it drives. */
    static Daemon start(Path procfs, Path sysfs, LongSupplier monotonicNanos, LongSupplier wallMillis)
            throws IOException {
        return Daemon.start(
                config(procfs, sysfs, List.of(), List.of()),
                monotonicNanos,
                wallMillis,
                new ProcessStatsReader(),
                false);
    }
}
