package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.detect.DetectedTargets;
import io.github.sysloadexporter.metrics.BuildInfo;
import io.github.sysloadexporter.metrics.Pages;
import io.github.sysloadexporter.metrics.SysloadCollector;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.sysload.ProcessStats;
import io.github.sysloadexporter.sysload.Sampler;
import io.github.sysloadexporter.sysload.SysloadCalculator;
import io.github.sysloadexporter.web.WebServer;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The running exporter: sampler and HTTP server wired together. */
final class Daemon implements AutoCloseable {
    private final Sampler sampler;
    private final WebServer server;

    private Daemon(Sampler sampler, WebServer server) {
        this.sampler = sampler;
        this.server = server;
    }

    /**
     * Wires and starts everything.
     *
     * @param processStats the exporter's own figures, read by scrapes (from several threads)
     * @param schedule false leaves the sampler unscheduled, for a test that calls
     *                 {@code sampler().tick()} itself with a clock of its own
     * @throws java.net.BindException when the listen address is taken
     */
    static Daemon start(
            Config config,
            LongSupplier monotonicNanos,
            LongSupplier wallMillis,
            Supplier<ProcessStats> processStats,
            boolean schedule)
            throws IOException {
        Sampler sampler = sampler(config, monotonicNanos, wallMillis);
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new SysloadCollector(
                sampler::published,
                processStats,
                BuildInfo.current(),
                config.interruptThreshold(),
                config.saturationThreshold()));
        WebServer server = WebServer.start(
                config.listen(),
                config.limits(),
                config.web(),
                Pages.of(config.telemetryPath(), registry, sampler::published));
        if (schedule) {
            sampler.start();
        }
        return new Daemon(sampler, server);
    }

    /** The sampler as the command line configures it, not started: the daemon's and {@code watch}'s. */
    static Sampler sampler(Config config, LongSupplier monotonicNanos, LongSupplier wallMillis) {
        return new Sampler(
                new ProcFs(config.procfs()),
                new DetectedTargets(config.sysfs(), config.nics(), config.disks()),
                new SysloadCalculator(
                        config.interruptThreshold(), config.saturationThreshold(), config.intervalNanos()),
                config.intervalNanos(),
                monotonicNanos,
                wallMillis);
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
