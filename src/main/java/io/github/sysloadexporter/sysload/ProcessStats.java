package io.github.sysloadexporter.sysload;

/**
 * The exporter's own cost, as every Prometheus exporter reports it (process_* metrics).
 * Negative values mean "not available" and are not exported.
 */
public record ProcessStats(
        double cpuSeconds, long residentBytes, long virtualBytes, long openFds, long maxFds, double startTimeSeconds) {
    public static final ProcessStats UNKNOWN = new ProcessStats(-1, -1, -1, -1, -1, -1);
}
