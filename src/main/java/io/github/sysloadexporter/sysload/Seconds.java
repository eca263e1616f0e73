package io.github.sysloadexporter.sysload;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seconds behind the means, counted since start: each sample weighted by the seconds it
 * covers, by the band its sysload fell in, by the candidate that drove it and by the candidates
 * that were saturated. Counters, so that Prometheus can take rates and quantiles over any range
 * from scrapes that never see the single seconds. Immutable.
 *
 * @param bands     seconds per band of sysload, as {@link #BOUNDS} cut them: {@code bands[0]}
 *                  at or below 10, ..., the last above 100 (always 0)
 * @param total     all the seconds counted
 * @param sum       sysload times seconds, summed: {@code sum / total} is the mean
 * @param driving   seconds each candidate was the one sysload was the value of
 * @param saturated seconds each candidate was at or above the saturation threshold
 */
public record Seconds(
        List<Double> bands,
        double total,
        double sum,
        Map<CandidateId, Double> driving,
        Map<CandidateId, Double> saturated) {
    /**
     * The bands' upper bounds, a histogram's {@code le}; the band above the last, +Inf, stays
     * empty. 100 is a bound although sysload never exceeds it: a quantile that falls in the
     * +Inf bucket is reported as the bound below it, so without it the p99 of a host at 100
     * would read 99.
     */
    public static final List<Double> BOUNDS =
            List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0, 99.0, 100.0);

    public static final Seconds NONE =
            new Seconds(Collections.nCopies(BOUNDS.size() + 1, 0.0), 0, 0, Map.of(), Map.of());

    public Seconds {
        if (bands.size() != BOUNDS.size() + 1) {
            throw new IllegalArgumentException("one band per bound and one above: " + bands);
        }
        bands = List.copyOf(bands);
        driving = Collections.unmodifiableSortedMap(new TreeMap<>(driving));
        saturated = Collections.unmodifiableSortedMap(new TreeMap<>(saturated));
    }

    /** Seconds at or below {@code BOUNDS[i]}: the histogram's cumulative bucket. */
    public double atOrBelow(int i) {
        double s = 0;
        for (int b = 0; b <= i; b++) {
            s += bands.get(b);
        }
        return s;
    }
}
