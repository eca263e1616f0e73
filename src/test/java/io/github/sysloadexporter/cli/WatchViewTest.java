package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.sysload.Candidate;
import io.github.sysloadexporter.sysload.CandidateId;
import io.github.sysloadexporter.sysload.CpuModes;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.sysload.Seconds;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The lines of {@code watch} for samples made by hand: columns, header, names, colour. */
class WatchViewTest {
    static final long T0 = 1_764_000_000_000L; // 16:00:00 UTC

    /** All CPUs {@code cpuBusy} % busy; eth0's group (on {@code cpus}) 80 % busy, 50 % irq+softirq+system. */
    static Sample sample(long millis, double cpuBusy, SortedSet<Integer> cpus, Map<String, Double> disks) {
        CpuModes all = new CpuModes(cpuBusy, 0, 0, 100 - cpuBusy, 0, 0, 0);
        CpuModes group = new CpuModes(30, 0, 10, 20, 0, 10, 30);
        List<Candidate> candidates = new ArrayList<>(
                List.of(new Candidate(Candidate.CPU, "", cpuBusy), new Candidate(Candidate.SI_CPU, "eth0", 80)));
        disks.forEach((d, u) -> candidates.add(new Candidate(Candidate.IO, d, u)));
        double load = candidates.stream().mapToDouble(Candidate::percent).max().orElse(0);
        return new Sample(
                millis,
                new Sample.Sysload(load, 12.25, 8, 4.04),
                all,
                new Sample.SiCpu("eth0", group),
                candidates,
                disks,
                new TreeMap<>(Map.of("eth0", cpus)),
                new Sample.Rates(0, 0),
                Seconds.NONE);
    }

    static SortedSet<Integer> cpus(Integer... ids) {
        return new TreeSet<>(List.of(ids));
    }

    @Test
    void aHeaderThenOneAlignedLinePerSample() {
        WatchView view = new WatchView(ZoneOffset.UTC, false, 0);
        assertEquals(
                List.of(
                        "time     sysload    1m    5m   15m   cpu si_nic si_cpus si_busy si_irq nvme0n1   vda drives",
                        "16:00:01    95.0  12.3   8.0   4.0  20.0 eth0   2-3,5      80.0   50.0     3.0  95.0 io:vda"),
                view.lines(sample(T0 + 1000, 20, cpus(2, 3, 5), Map.of("vda", 95.0, "nvme0n1", 3.0))));
        // Same columns, same widths: no header.
        assertEquals(
                List.of(
                        "16:00:02    80.0  12.3   8.0   4.0  20.0 eth0   2-3,5      80.0   50.0     3.0  10.0 si_cpu:eth0"),
                view.lines(sample(T0 + 2000, 20, cpus(2, 3, 5), Map.of("vda", 10.0, "nvme0n1", 3.0))));
    }

    @Test
    void theHeaderComesAgainWhenTheColumnsChangeOrAValueOutgrowsItsColumn() {
        WatchView view = new WatchView(ZoneOffset.UTC, false, 0);
        view.lines(sample(T0, 20, cpus(1), Map.of("vda", 1.0)));
        // A disk appears.
        List<String> lines = view.lines(sample(T0 + 1000, 20, cpus(1), Map.of("vda", 1.0, "vdb", 2.0)));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith(" vda   vdb drives"), lines.get(0));
        // irqbalance spreads eth0 over more CPUs than its column holds.
        lines = view.lines(sample(T0 + 2000, 20, cpus(0, 2, 4, 6, 8), Map.of("vda", 1.0, "vdb", 2.0)));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains(" eth0   0,2,4,6,8    80.0 "), lines.get(1));
        assertEquals(
                lines.get(0).indexOf("si_busy") + "si_busy".length(),
                lines.get(1).indexOf("80.0   50.0") + "80.0".length(),
                lines.toString());
        // Back to a short list: the column keeps its width, no header.
        assertEquals(
                1,
                view.lines(sample(T0 + 3000, 20, cpus(1), Map.of("vda", 1.0, "vdb", 2.0)))
                        .size());
    }

    @Test
    void onATerminalTheHeaderComesEveryScreenful() {
        WatchView view = new WatchView(ZoneOffset.UTC, false, 5);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sizes.add(view.lines(sample(T0 + i * 1000L, 20, cpus(1), Map.of())).size());
        }
        // A header and four lines fill a screen of five rows.
        assertEquals(List.of(2, 1, 1, 1, 2, 1, 1, 1, 2, 1), sizes);
    }

    @Test
    void noNicIsDashAndAllCpusAndNothingBusyDrivesNothing() {
        Sample idle = new Sample(
                T0,
                new Sample.Sysload(0, 0, 0, 0),
                CpuModes.ALL_IDLE,
                new Sample.SiCpu("", CpuModes.ALL_IDLE),
                List.of(new Candidate(Candidate.CPU, "", 0), new Candidate(Candidate.SI_CPU, "", 0)),
                Map.of(),
                Map.of(),
                new Sample.Rates(0, 0),
                Seconds.NONE);
        List<String> lines = new WatchView(ZoneOffset.UTC, false, 0).lines(idle);
        assertEquals("16:00:00     0.0   0.0   0.0   0.0   0.0 -      all         0.0    0.0 -", lines.get(1));
        // A NIC none of whose interrupts was seen yet: its group is every CPU.
        assertTrue(new WatchView(ZoneOffset.UTC, false, 0)
                .lines(sample(T0, 20, cpus(), Map.of()))
                .get(1)
                .contains(" eth0   all "));
    }

    @Test
    void colourOnlyWhenAskedSysloadByLevelAndTheDriverInBold() {
        Sample high = sample(T0, 20, cpus(1), Map.of("vda", 92.0));
        String plain = new WatchView(ZoneOffset.UTC, false, 0).lines(high).get(1);
        assertFalse(plain.contains("\033"), plain);
        String painted = new WatchView(ZoneOffset.UTC, true, 0).lines(high).get(1);
        assertTrue(painted.contains("\033[1;31m92.0\033[0m"), painted);
        assertTrue(painted.endsWith("\033[1mio:vda\033[0m"), painted);
        assertEquals(plain, painted.replaceAll("\033\\[[0-9;]*m", ""));
        String amber = new WatchView(ZoneOffset.UTC, true, 0)
                .lines(sample(T0, 20, cpus(1), Map.of("vda", 85.0)))
                .get(1);
        assertTrue(amber.contains("\033[33m85.0\033[0m"), amber);
    }

    @Test
    void terminalColourAndScreenFromTheEnvironment() {
        assertTrue(Watch.colour(Map.of("TERM", "xterm-256color")));
        assertFalse(Watch.colour(Map.of("TERM", "xterm", "NO_COLOR", "1")));
        assertFalse(Watch.colour(Map.of("TERM", "dumb")));
        assertEquals(50, Watch.rows(Map.of("LINES", "50")));
        assertEquals(24, Watch.rows(Map.of("LINES", "x")));
        assertEquals(24, Watch.rows(Map.of()));
        assertFalse(Watch.isTerminal(Path.of("/nonexistent/fd/1")));
    }

    @Test
    void theSummarySaysTheSecondsPerBandAndWhatDroveAndSaturatedThem() {
        List<Double> bands = new ArrayList<>(Collections.nCopies(Seconds.BOUNDS.size() + 1, 0.0));
        bands.set(0, 100.0); // 0-10
        bands.set(Seconds.BOUNDS.size() - 1, 50.0); // above 99
        CandidateId cpu = new CandidateId(Candidate.CPU, "");
        CandidateId eth0 = new CandidateId(Candidate.SI_CPU, "eth0");
        CandidateId vda = new CandidateId(Candidate.IO, "vda");
        Seconds s = new Seconds(
                bands, 150, 100 * 5 + 50 * 100, Map.of(cpu, 60.0, eth0, 45.0, vda, 0.0), Map.of(cpu, 0.0, eth0, 50.0));
        assertEquals(
                List.of(
                        "150 s seen, sysload 36.7 on average",
                        "    0-10       100 s  66.7 %",
                        "   99-100       50 s  33.3 %",
                        "driving: cpu 60 s, si_cpu:eth0 45 s, nothing 45 s",
                        "at or above 90: si_cpu:eth0 50 s"),
                WatchView.summary(s, 90));
        assertEquals(
                List.of("0 s seen, sysload 0.0 on average", "driving: -", "at or above 80: -"),
                WatchView.summary(Seconds.NONE, 80));
    }
}
