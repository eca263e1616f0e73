package io.github.sysloadexporter.sysload;

import static io.github.sysloadexporter.sysload.SysloadCalculatorTest.disk;
import static io.github.sysloadexporter.sysload.SysloadCalculatorTest.reading;
import static io.github.sysloadexporter.sysload.SysloadCalculatorTest.stat;
import static io.github.sysloadexporter.sysload.SysloadCalculatorTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.ProcStat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seconds behind the means: each sample weighs the seconds it covers. */
class SecondsTest {
    static final long SECOND = 1_000_000_000L;
    static final double EPS = 1e-9;
    static final CandidateId CPU = new CandidateId(Candidate.CPU, "");
    static final CandidateId SI = new CandidateId(Candidate.SI_CPU, "");

    final SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
    /** One CPU's cumulative ticks, advanced by each {@link #at} call. */
    long busy;

    long idleTicks;

    /** A reading at {@code second} after {@code busyTicks} busy and {@code idle} idle ticks more. */
    Sample at(long second, long busyTicks, long idle, String... disks) {
        busy += busyTicks;
        idleTicks += idle;
        ProcStat s = stat(0, 0, t(busy, 0, 0, idleTicks, 0, 0, 0));
        // each disk 90 % busy since 0 s
        DiskStat[] stats = new DiskStat[disks.length];
        for (int i = 0; i < disks.length; i++) {
            stats[i] = disk(disks[i], second * 900);
        }
        return calc.next(reading(second, s, stats), List.of(), Set.of(disks));
    }

    @Test
    void theFirstReadingCountsNothingAndEachSampleItsInterval() {
        assertEquals(null, at(0, 0, 0));
        Seconds s = at(1, 100, 0).seconds(); // 1 s at 100
        assertEquals(1, s.total(), EPS);
        assertEquals(100, s.sum(), EPS);
        s = at(2, 10, 90).seconds(); // 1 s at 10
        assertEquals(2, s.total(), EPS);
        assertEquals(1, s.atOrBelow(0), EPS); // at or below 10
        assertEquals(1, s.atOrBelow(Seconds.BOUNDS.size() - 2), EPS); // at or below 99
        assertEquals(110, s.sum(), EPS);
    }

    @Test
    void aSampleAfterAStallCountsTheSecondsItSpans() {
        at(0, 0, 0);
        at(1, 100, 0);
        // the sampler was starved for 2 s: one sample covers 3 s at 100
        Seconds s = at(4, 300, 0).seconds();
        assertEquals(4, s.total(), EPS);
        assertEquals(4, s.bands().get(Seconds.BOUNDS.size() - 1), EPS); // all above 99, at or below 100
        assertEquals(4, s.saturated().get(CPU), EPS);
        assertEquals(4, s.driving().get(CPU), EPS);
    }

    /**
     * /proc/stat unusable at 2 s: the sampler never calls the calculator for it, so the failure
     * counts nothing; the next good sample covers 1 s to 3 s, so no second is lost or doubled.
     */
    @Test
    void aFailedReadingCountsNothingAndTheNextCoversItsTime() {
        at(0, 0, 0);
        at(1, 100, 0);
        Seconds s = at(3, 20, 180).seconds();
        assertEquals(3, s.total(), EPS);
        assertEquals(1 * 100 + 2 * 10, s.sum(), EPS);
        assertEquals(2, s.bands().get(0), EPS);
    }

    @Test
    void bandsAreAtOrBelowTheirBound() {
        assertEquals(0, SecondsTally.band(0));
        assertEquals(0, SecondsTally.band(10));
        assertEquals(1, SecondsTally.band(10.000001));
        assertEquals(8, SecondsTally.band(90));
        assertEquals(9, SecondsTally.band(95));
        assertEquals(10, SecondsTally.band(99));
        assertEquals(11, SecondsTally.band(99.5));
        assertEquals(11, SecondsTally.band(100));
        assertEquals(12, SecondsTally.band(100.5)); // never: sysload is clamped to 100
    }

    /** Ties go as watch breaks them; saturation counts each candidate at or above the threshold. */
    @Test
    void drivingIsTheFirstOfTheLargestAndSaturationIsPerCandidate() {
        SecondsTally tally = new SecondsTally(90);
        CandidateId vda = new CandidateId(Candidate.IO, "vda");
        Seconds s = tally.add(
                90,
                List.of(
                        new Candidate(Candidate.CPU, "", 90),
                        new Candidate(Candidate.SI_CPU, "", 0),
                        new Candidate(Candidate.IO, "vda", 90)),
                2);
        assertEquals(Map.of(CPU, 2.0, SI, 0.0, vda, 0.0), s.driving());
        assertEquals(Map.of(CPU, 2.0, SI, 0.0, vda, 2.0), s.saturated());
        // all idle: nobody drove, nobody saturated, the seconds still count
        s = tally.add(
                0,
                List.of(
                        new Candidate(Candidate.CPU, "", 0),
                        new Candidate(Candidate.SI_CPU, "", 0),
                        new Candidate(Candidate.IO, "vda", 0)),
                1);
        assertEquals(Map.of(CPU, 2.0, SI, 0.0, vda, 0.0), s.driving());
        assertEquals(3, s.total(), EPS);
        assertEquals(List.of(CPU, SI, vda), List.copyOf(s.driving().keySet())); // cpu, si_cpu, io
    }

    /** diskstats unreadable for a while: the disk's counters keep their values, never go back. */
    @Test
    void aCounterSurvivesItsSourceFailing() {
        at(0, 0, 100, "vda");
        Seconds before = at(1, 0, 100, "vda").seconds(); // vda 90 % busy: driving, saturated
        CandidateId vda = new CandidateId(Candidate.IO, "vda");
        assertEquals(1, before.driving().get(vda), EPS);
        assertEquals(1, before.saturated().get(vda), EPS);
        // no diskstats this interval: vda is no candidate, its counts stay
        idleTicks += 100;
        Seconds during = calc.next(
                        new Reading(2 * SECOND, 0, stat(0, 0, t(busy, 0, 0, idleTicks, 0, 0, 0)), Optional.empty()),
                        List.of(),
                        Set.of("vda"))
                .seconds();
        assertEquals(1, during.driving().get(vda), EPS);
        assertEquals(1, during.saturated().get(vda), EPS);
        assertEquals(2, during.total(), EPS);
    }
}
