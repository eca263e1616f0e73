package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.metrics.BuildInfo;
import io.github.sysloadexporter.metrics.MetricsServer;
import io.github.sysloadexporter.metrics.SysloadCollector;
import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.sysload.ProcSource;
import io.github.sysloadexporter.sysload.ProcessStats;
import io.github.sysloadexporter.sysload.Sampler;
import io.github.sysloadexporter.sysload.SysloadCalculator;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The running exporter: sampler and HTTP server wired together. */
final class Daemon implements AutoCloseable {
    private final Sampler sampler;
    private final MetricsServer server;

    private Daemon(Sampler sampler, MetricsServer server) {
        this.sampler = sampler;
        this.server = server;
    }

    /**
     * Wires and starts everything.
     *
     * @param schedule false leaves the sampler unscheduled, for a test that calls
     *                 {@code sampler().tick()} itself with a clock of its own
     * @throws java.net.BindException when the listen address is taken
     */
    static Daemon start(Config config, LongSupplier monotonicNanos, LongSupplier wallMillis,
                        Supplier<ProcessStats> processStats, boolean schedule) throws IOException {
        ProcSource proc = procSource(new ProcFs(config.procfs()));
        SysloadCalculator calculator = new SysloadCalculator(config.interruptThreshold(), config.intervalNanos());
        Sampler sampler = new Sampler(proc, new DetectedTargets(config.sysfs(), config.nics(), config.disks()),
                calculator, config.intervalNanos(), monotonicNanos, wallMillis, processStats);
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new SysloadCollector(sampler::published, BuildInfo.current(), config.interruptThreshold()));
        MetricsServer server = MetricsServer.start(config.listen(), config.telemetryPath(), registry,
                sampler::published, config.web());
        if (schedule) {
            sampler.start();
        }
        return new Daemon(sampler, server);
    }

    static ProcSource procSource(ProcFs fs) {
        return new ProcSource() {
            @Override
            public ProcStat stat() throws IOException, ProcfsFormatException {
                return fs.stat();
            }

            @Override
            public DiskStats diskStats() throws IOException {
                return fs.diskStats();
            }

            @Override
            public Interrupts interrupts(IrqFilter keep) throws IOException, ProcfsFormatException {
                return fs.interrupts(keep);
            }
        };
    }

    Sampler sampler() {
        return sampler;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        sampler.close();
    }
}
