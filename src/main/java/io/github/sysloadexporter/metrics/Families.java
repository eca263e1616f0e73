package io.github.sysloadexporter.metrics;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import java.util.List;

/** Metric families of one sample each, as the collectors build them. */
final class Families {
    private Families() {}

    static MetricFamilySamples family(
            String name, Type type, String help, List<String> labels, List<String> values, double v) {
        return new MetricFamilySamples(
                name, type, help, List.of(new MetricFamilySamples.Sample(name, labels, values, v)));
    }

    // simpleclient names a counter family without _total and its sample with it.
    static MetricFamilySamples counter(String name, String help, double v) {
        return new MetricFamilySamples(
                name,
                Type.COUNTER,
                help,
                List.of(new MetricFamilySamples.Sample(name + "_total", List.of(), List.of(), v)));
    }
}
