package io.github.sysloadexporter.sysload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts each sample's seconds into {@link Seconds}. A sample weighs the seconds it covers:
 * one that spans 3 s after a stall counts 3 s; a failed reading adds nothing, and the next good
 * one covers the time since the last good reading, so no second is lost or counted twice. A
 * candidate that leaves (a disk unplugged, its source unreadable) keeps its count: counters
 * never go back. Pure, no clock: the calculator hands it the seconds. Not thread-safe.
 */
final class SecondsTally {
    private final double saturationThreshold;
    private final double[] bands = new double[Seconds.BOUNDS.size() + 1];
    private double total;
    private double sum;
    private final Map<CandidateId, Double> driving = new HashMap<>();
    private final Map<CandidateId, Double> saturated = new HashMap<>();

    /** @param saturationThreshold percent at or above which a candidate is saturated */
    SecondsTally(double saturationThreshold) {
        this.saturationThreshold = saturationThreshold;
    }

    /** Counts a sample of {@code seconds} (> 0) and returns the counts so far. */
    Seconds add(double sysload, List<Candidate> candidates, double seconds) {
        bands[band(sysload)] += seconds;
        total += seconds;
        sum += sysload * seconds;
        Optional<Candidate> top = Candidate.driving(candidates);
        top.ifPresent(c -> driving.merge(CandidateId.of(c), seconds, Double::sum));
        for (Candidate c : candidates) {
            CandidateId id = CandidateId.of(c);
            // every candidate seen has a series from then on, at 0 until it is saturated
            saturated.merge(id, c.percent() >= saturationThreshold ? seconds : 0.0, Double::sum);
            driving.putIfAbsent(id, 0.0);
        }
        return now();
    }

    /** The counts so far. */
    Seconds now() {
        List<Double> b = new ArrayList<>(bands.length);
        for (double v : bands) {
            b.add(v);
        }
        return new Seconds(b, total, sum, driving, saturated);
    }

    /** The band of a sysload: the first bound it is at or below. */
    static int band(double sysload) {
        for (int i = 0; i < Seconds.BOUNDS.size(); i++) {
            if (sysload <= Seconds.BOUNDS.get(i)) {
                return i;
            }
        }
        return Seconds.BOUNDS.size();
    }
}
