package io.github.sysloadexporter.metrics;

import io.github.sysloadexporter.sysload.Candidate;
import io.github.sysloadexporter.sysload.CandidateId;
import io.github.sysloadexporter.sysload.CpuModes;
import io.github.sysloadexporter.sysload.ProcessStats;
import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.sysload.Seconds;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What rendering one sample's text exposition costs through {@link Utf8Buffer} and through
 * the two writers it could be replaced by: simpleclient's own (an OutputStreamWriter) and the
 * shortest code (a StringWriter, then getBytes). Run with {@code -prof gc} for the bytes
 * allocated per rendering. The sample is a host with one NIC and three disks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx64m"})
@State(Scope.Thread)
public class RenderBench {
    CollectorRegistry registry;

    @Setup
    public void setUp() {
        CpuModes modes = new CpuModes(31.5, 0.2, 9.8, 52.1, 1.4, 0.3, 4.7);
        List<Candidate> candidates = List.of(
                new Candidate(Candidate.CPU, "", 47.9),
                new Candidate(Candidate.SI_CPU, "ens5", 0),
                new Candidate(Candidate.IO, "nvme0n1", 12.5),
                new Candidate(Candidate.IO, "nvme1n1", 3.25),
                new Candidate(Candidate.IO, "sda", 0.5));
        Sample sample = new Sample(
                1_790_000_000_000L,
                new Sample.Sysload(47.9, 45.2, 40.8, 38.1),
                modes,
                new Sample.SiCpu("ens5", modes),
                candidates,
                Map.of("nvme0n1", 12.5, "nvme1n1", 3.25, "sda", 0.5),
                Map.of("ens5", new java.util.TreeSet<>(java.util.Set.of(0, 1, 2, 3))),
                new Sample.Rates(15_234, 8_765),
                // a day's seconds: every series of the histogram and both counters has a value
                new Seconds(
                        List.of(
                                40_000.0, 20_000.0, 12_000.0, 6_000.0, 3_000.0, 2_000.0, 1_500.0, 800.0, 500.0, 300.0,
                                200.0, 100.0, 0.0),
                        86_400,
                        1_900_000,
                        perCandidate(candidates, 17_280),
                        perCandidate(candidates, 120)));
        Published published = new Published(sample, 86_400, 2, 1_790_000_000.0, Map.of());
        registry = new CollectorRegistry();
        registry.register(
                new SysloadCollector(() -> published, () -> ProcessStats.UNKNOWN, BuildInfo.current(), 40, 90));
    }

    private static Map<CandidateId, Double> perCandidate(List<Candidate> candidates, double seconds) {
        Map<CandidateId, Double> out = new HashMap<>();
        candidates.forEach(c -> out.put(CandidateId.of(c), seconds));
        return out;
    }

    @Benchmark
    public byte[] utf8Buffer() throws IOException {
        Utf8Buffer out = new Utf8Buffer(8192);
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toByteArray();
    }

    @Benchmark
    public byte[] outputStreamWriter() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        OutputStreamWriter out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
        TextFormat.write004(out, registry.metricFamilySamples());
        out.flush();
        return bytes.toByteArray();
    }

    @Benchmark
    public byte[] stringWriter() throws IOException {
        StringWriter out = new StringWriter(8192);
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
