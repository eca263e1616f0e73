package io.github.sysloadexporter.metrics;

import io.github.sysloadexporter.sysload.Candidate;
import io.github.sysloadexporter.sysload.CandidateId;
import io.github.sysloadexporter.sysload.CpuModes;
import io.github.sysloadexporter.sysload.ProcessStats;
import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.sysload.Seconds;
import io.github.sysloadexporter.sysload.Source;
import io.github.sysloadexporter.sysload.SourceHealth;
import io.prometheus.client.Collector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns the last published sample into metric families. Computes nothing: every value was
 * fixed when the sample was taken, so a scrape costs formatting only and never waits for
 * the sampler. The one thing read at the scrape is the exporter's own process figures, as
 * every client library's process collector does: they describe the exporter as the scrape
 * finds it, and an exporter nobody scrapes does not read them each second (the exposition is
 * rendered once per sample, so they are read at most once per sample and format). Names of
 * the Go sysload exporter are kept so its dashboards keep working.
 */
public final class SysloadCollector extends Collector {
    static final String NS = "sysload_";
    private static final List<String> MODE = List.of("mode");
    private static final List<String> DEVICE = List.of("device");
    private static final List<String> SOURCE = List.of("source");
    private static final List<String> CANDIDATE = List.of("resource", "device");
    private static final String MODES_HELP = " Modes: user, nice, system, idle, wio (iowait), intr (hardware"
            + " interrupts), sintr (softirq); the seven add up to 100.";

    private final Supplier<Published> source;
    private final Supplier<ProcessStats> process;
    private final BuildInfo build;
    private final double interruptThreshold;
    private final double saturationThreshold;

    /** @param process the exporter's own figures, read when asked: called from scrapes at once */
    public SysloadCollector(
            Supplier<Published> source,
            Supplier<ProcessStats> process,
            BuildInfo build,
            double interruptThreshold,
            double saturationThreshold) {
        this.source = source;
        this.process = process;
        this.build = build;
        this.interruptThreshold = interruptThreshold;
        this.saturationThreshold = saturationThreshold;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Published p = source.get();
        List<MetricFamilySamples> out = new ArrayList<>(24);
        Sample s = p.sample();
        if (s != null) {
            addSample(out, s);
        }
        gauge(
                out,
                "interrupt_threshold_percent",
                "The --interrupt-threshold: the NIC-IRQ CPUs' irq+softirq+system percent above which they"
                        + " count towards sysload.",
                interruptThreshold);
        gauge(
                out,
                "saturation_threshold_percent",
                "The --saturation-threshold: the percent at or above which a candidate's seconds count in"
                        + " sysload_saturated_seconds_total.",
                saturationThreshold);
        out.add(Families.family(
                NS + "build_info",
                Type.GAUGE,
                "Always 1; the labels say which sysload-exporter and Java runtime are running.",
                List.of("version", "javaversion"),
                List.of(build.version(), build.javaVersion()),
                1));
        gauge(
                out,
                "last_sample_timestamp_seconds",
                "Unix time of the last successful sample. If it lags behind time(), sampling is failing"
                        + " and the values shown are that old.",
                p.lastSuccessSeconds());
        out.add(Families.counter(NS + "samples", "Samples of /proc taken successfully.", p.samplesTotal()));
        out.add(Families.counter(
                NS + "sample_failures",
                "Samples that failed because /proc/stat was missing,"
                        + " unreadable or had no usable aggregate cpu line; the last good values are served meanwhile."
                        + " Other sources failing cost only their part: see sysload_source_up.",
                p.failuresTotal()));
        addSources(out, p.sources());
        ProcessFamilies.add(out, process.get());
        return out;
    }

    private static void addSample(List<MetricFamilySamples> out, Sample s) {
        gauge(
                out,
                "sysload",
                "How close the host is to saturation, 0 to 100: the largest of all-CPU"
                        + " utilisation, the utilisation of the CPUs serving the NIC's receive interrupts (when their"
                        + " interrupt share is above the threshold) and every disk's I/O utilisation.",
                s.sysload().now());
        gauge(
                out,
                "sysload_one",
                "Mean of sysload over the samples of the last minute.",
                s.sysload().one());
        gauge(
                out,
                "sysload_five",
                "Mean of sysload over the samples of the last 5 minutes.",
                s.sysload().five());
        gauge(
                out,
                "sysload_fifteen",
                "Mean of sysload over the samples of the last 15 minutes.",
                s.sysload().fifteen());
        out.add(modes(
                NS + "si_cpu",
                "Percent of time per mode on the CPUs that serve the network card's"
                        + " receive interrupts (all CPUs while none is known)." + MODES_HELP,
                s.siCpu().modes()));
        out.add(modes(NS + "cpu_percent", "Percent of time per mode over all CPUs." + MODES_HELP, s.cpu()));
        out.add(byDevice(
                NS + "io_util",
                "Percent of the last interval the disk was busy with I/O" + " (/proc/diskstats io_ticks).",
                s.ioUtil()));
        out.add(byDevice(
                NS + "nic_irq_cpus",
                "Number of CPUs found serving the NIC's receive interrupts" + " recently; 0 while none has been seen.",
                cpuCounts(s.nicIrqCpus())));
        List<MetricFamilySamples.Sample> cands = new ArrayList<>(s.candidates().size());
        for (Candidate c : s.candidates()) {
            cands.add(new MetricFamilySamples.Sample(
                    NS + "candidate_percent", CANDIDATE, List.of(c.resource(), c.device()), c.percent()));
        }
        out.add(new MetricFamilySamples(
                NS + "candidate_percent",
                Type.GAUGE,
                "Each value sysload is the"
                        + " maximum of: resource cpu (all CPUs), si_cpu (the NIC-IRQ CPUs of the NIC in device; 0 while"
                        + " their interrupt share is at or below the threshold) and io (each disk). The largest one"
                        + " drives sysload.",
                cands));
        addSeconds(out, s.seconds());
        gauge(
                out,
                "proc_ctxt",
                "Context switches per second over the last interval.",
                s.rates().ctxtPerSecond());
        gauge(
                out,
                "proc_intr",
                "Interrupts per second over the last interval.",
                s.rates().intrPerSecond());
    }

    private static final String HISTOGRAM = NS + "per_second_sysload";
    private static final List<String> LE = List.of("le");
    /** Each bucket's le, rendered once: a scrape renders every sample's anew otherwise. */
    private static final List<List<String>> LE_VALUES = leValues();

    private static List<List<String>> leValues() {
        List<List<String>> values = new ArrayList<>(Seconds.BOUNDS.size() + 1);
        for (double bound : Seconds.BOUNDS) {
            values.add(List.of(Collector.doubleToGoString(bound)));
        }
        values.add(List.of("+Inf"));
        return List.copyOf(values);
    }

    private static void addSeconds(List<MetricFamilySamples> out, Seconds sec) {
        List<MetricFamilySamples.Sample> hist = new ArrayList<>(LE_VALUES.size() + 2);
        for (int i = 0; i < Seconds.BOUNDS.size(); i++) {
            hist.add(new MetricFamilySamples.Sample(HISTOGRAM + "_bucket", LE, LE_VALUES.get(i), sec.atOrBelow(i)));
        }
        hist.add(new MetricFamilySamples.Sample(
                HISTOGRAM + "_bucket", LE, LE_VALUES.get(Seconds.BOUNDS.size()), sec.total()));
        hist.add(new MetricFamilySamples.Sample(HISTOGRAM + "_count", List.of(), List.of(), sec.total()));
        hist.add(new MetricFamilySamples.Sample(HISTOGRAM + "_sum", List.of(), List.of(), sec.sum()));
        out.add(new MetricFamilySamples(
                HISTOGRAM,
                Type.HISTOGRAM,
                "Seconds by the sysload of each sample since start, each sample weighted by the seconds it"
                        + " covers: rate(_bucket) is the share of seconds in each band, histogram_quantile its"
                        + " quantiles; _count is seconds, _sum sysload times seconds.",
                hist));
        out.add(byCandidate(
                NS + "driving_seconds",
                NS + "driving_seconds_total",
                "Seconds each candidate was the one sysload is the value of (ties: cpu, then si_cpu, then"
                        + " the disks by name; none while all are 0).",
                sec.driving()));
        out.add(byCandidate(
                NS + "saturated_seconds",
                NS + "saturated_seconds_total",
                "Seconds each candidate was at or above the saturation threshold"
                        + " (sysload_saturation_threshold_percent).",
                sec.saturated()));
    }

    private static MetricFamilySamples byCandidate(
            String name, String sampleName, String help, Map<CandidateId, Double> seconds) {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>(seconds.size());
        for (Map.Entry<CandidateId, Double> e : seconds.entrySet()) {
            samples.add(new MetricFamilySamples.Sample(
                    sampleName,
                    CANDIDATE,
                    List.of(e.getKey().resource(), e.getKey().device()),
                    e.getValue()));
        }
        return new MetricFamilySamples(name, Type.COUNTER, help, samples);
    }

    private static void addSources(List<MetricFamilySamples> out, Map<Source, SourceHealth> sources) {
        List<MetricFamilySamples.Sample> up = new ArrayList<>(sources.size());
        List<MetricFamilySamples.Sample> failures = new ArrayList<>(sources.size());
        List<MetricFamilySamples.Sample> skipped = new ArrayList<>(sources.size());
        for (Map.Entry<Source, SourceHealth> e : sources.entrySet()) {
            List<String> value = List.of(e.getKey().label());
            SourceHealth h = e.getValue();
            up.add(new MetricFamilySamples.Sample(NS + "source_up", SOURCE, value, h.up() ? 1 : 0));
            failures.add(new MetricFamilySamples.Sample(NS + "source_failures_total", SOURCE, value, h.failures()));
            if (e.getKey() != Source.SYSFS) {
                skipped.add(new MetricFamilySamples.Sample(
                        NS + "source_skipped_lines_total", SOURCE, value, h.skippedLines()));
            }
        }
        out.add(new MetricFamilySamples(
                NS + "source_up",
                Type.GAUGE,
                "1 if the source's last read succeeded, 0 if"
                        + " it failed. stat (/proc/stat): 0 means no new sample, the last good values are served."
                        + " diskstats: no disk values. interrupts: the NICs' last known CPUs are used. sysfs (the scan"
                        + " of class/net and block): the last found NICs and disks are watched.",
                up));
        out.add(new MetricFamilySamples(
                NS + "source_failures",
                Type.COUNTER,
                "Reads of the source that"
                        + " failed as a whole (missing, unreadable, no usable header or aggregate line).",
                failures));
        out.add(new MetricFamilySamples(
                NS + "source_skipped_lines",
                Type.COUNTER,
                "Lines of the source's"
                        + " file that could not be parsed and were left out (that CPU, IRQ or disk is missing from the"
                        + " interval); the rest of the file still counts.",
                skipped));
    }

    private static void gauge(List<MetricFamilySamples> out, String name, String help, double v) {
        out.add(Families.family(NS + name, Type.GAUGE, help, List.of(), List.of(), v));
    }

    private static MetricFamilySamples modes(String name, String help, CpuModes m) {
        List<MetricFamilySamples.Sample> samples = List.of(
                mode(name, "user", m.user()),
                mode(name, "nice", m.nice()),
                mode(name, "system", m.system()),
                mode(name, "idle", m.idle()),
                mode(name, "wio", m.wio()),
                mode(name, "intr", m.intr()),
                mode(name, "sintr", m.sintr()));
        return new MetricFamilySamples(name, Type.GAUGE, help, samples);
    }

    private static MetricFamilySamples.Sample mode(String name, String mode, double v) {
        return new MetricFamilySamples.Sample(name, MODE, List.of(mode), v);
    }

    private static Map<String, Integer> cpuCounts(Map<String, ? extends Set<Integer>> cpus) {
        Map<String, Integer> counts = new TreeMap<>();
        cpus.forEach((nic, set) -> counts.put(nic, set.size()));
        return counts;
    }

    private static MetricFamilySamples byDevice(String name, String help, Map<String, ? extends Number> values) {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>(values.size());
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            samples.add(new MetricFamilySamples.Sample(
                    name, DEVICE, List.of(e.getKey()), e.getValue().doubleValue()));
        }
        return new MetricFamilySamples(name, Type.GAUGE, help, samples);
    }
}
