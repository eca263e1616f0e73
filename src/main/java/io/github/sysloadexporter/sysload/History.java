package io.github.sysloadexporter.sysload;

/**
 * The sysload values of the last 15 minutes, for the 1/5/15-minute means. A mean covers
 * only the samples actually taken: right after start it is the mean of what there is, never
 * padded with zeros (which made every restart of the original look like a fall to 0).
 */
final class History {
    static final long ONE_MINUTE_NANOS = 60_000_000_000L;
    static final long FIVE_MINUTES_NANOS = 5 * ONE_MINUTE_NANOS;
    static final long FIFTEEN_MINUTES_NANOS = 15 * ONE_MINUTE_NANOS;

    private final long[] times;
    private final double[] values;
    private final long halfIntervalNanos;
    private int next;
    private int size;

    /** @param intervalNanos the sampling interval; it sizes the ring and absorbs tick jitter */
    History(long intervalNanos) {
        int capacity = (int) (FIFTEEN_MINUTES_NANOS / intervalNanos) + 2;
        times = new long[capacity];
        values = new double[capacity];
        halfIntervalNanos = intervalNanos / 2;
    }

    void add(long nanos, double value) {
        times[next] = nanos;
        values[next] = value;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /**
     * Mean of the samples taken within {@code windowNanos} before {@code now}. A sample
     * exactly one window old belongs to the previous window: at a 1 s interval the 1-minute
     * mean is over 60 samples. Half an interval of slack absorbs scheduling jitter.
     */
    double mean(long now, long windowNanos) {
        double sum = 0;
        int n = 0;
        long oldest = now - windowNanos + halfIntervalNanos;
        for (int i = 1; i <= size; i++) {
            int idx = Math.floorMod(next - i, times.length);
            if (times[idx] - oldest < 0) {
                break;
            }
            sum += values[idx];
            n++;
        }
        return n == 0 ? 0 : Percent.clamp(sum / n);
    }
}
