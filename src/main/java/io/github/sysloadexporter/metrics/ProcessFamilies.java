package io.github.sysloadexporter.metrics;

import io.github.sysloadexporter.sysload.ProcessStats;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import java.util.List;

/**
 * The exporter's own cost, under client_java's names (process_*): a figure the system did not
 * give (-1) is left out rather than shown as 0.
 */
final class ProcessFamilies {
    private ProcessFamilies() {}

    static void add(List<MetricFamilySamples> out, ProcessStats ps) {
        if (ps.cpuSeconds() >= 0) {
            out.add(Families.counter(
                    "process_cpu_seconds",
                    "Total user and system CPU time spent by the exporter in" + " seconds.",
                    ps.cpuSeconds()));
        }
        processGauge(
                out,
                "process_resident_memory_bytes",
                "Resident memory size of the exporter in bytes.",
                ps.residentBytes());
        processGauge(
                out,
                "process_virtual_memory_bytes",
                "Virtual memory size of the exporter in bytes.",
                ps.virtualBytes());
        processGauge(out, "process_open_fds", "Number of open file descriptors.", ps.openFds());
        processGauge(out, "process_max_fds", "Maximum number of open file descriptors.", ps.maxFds());
        if (ps.startTimeSeconds() >= 0) {
            out.add(Families.family(
                    "process_start_time_seconds",
                    Type.GAUGE,
                    "Start time of the exporter since unix epoch in seconds.",
                    List.of(),
                    List.of(),
                    ps.startTimeSeconds()));
        }
    }

    private static void processGauge(List<MetricFamilySamples> out, String name, String help, long v) {
        if (v >= 0) {
            out.add(Families.family(name, Type.GAUGE, help, List.of(), List.of(), v));
        }
    }
}
