package io.github.sysloadexporter.procfs;

/** Deltas of kernel counters, which are unsigned and may wrap at 32 or 64 bits, or reset. */
public final class Counters {
    private static final long TWO_TO_32 = 1L << 32;

    private Counters() {}

    /**
     * How much an unsigned counter advanced from {@code previous} to {@code current}; never
     * negative. When it went down, it either wrapped or was reset: we take a wrap (at 32 bits
     * if both values fit in 32 bits, else at 64) when the wrapped distance is shorter than the
     * fall, and a reset (delta 0, as nothing trustworthy can be said) otherwise.
     */
    public static long delta(long previous, long current) {
        if (Long.compareUnsigned(current, previous) >= 0) {
            return clampUnsigned(current - previous);
        }
        long fall = previous - current; // unsigned distance it went down
        long wrapped;
        if (Long.compareUnsigned(previous, TWO_TO_32) < 0) {
            wrapped = TWO_TO_32 - previous + current;
        } else {
            wrapped = current - previous; // modulo 2^64
        }
        return Long.compareUnsigned(wrapped, fall) < 0 ? clampUnsigned(wrapped) : 0;
    }

    // A delta above 2^63 can only come from garbage; keep the arithmetic in signed range.
    private static long clampUnsigned(long d) {
        return d < 0 ? 0 : d;
    }
}
