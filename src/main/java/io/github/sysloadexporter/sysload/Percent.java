package io.github.sysloadexporter.sysload;

/** Every percentage we publish passes through here: never NaN, below 0 or above 100. */
final class Percent {
    private Percent() {}

    static double clamp(double v) {
        if (Double.isNaN(v) || v <= 0) {
            return 0;
        }
        return Math.min(v, 100.0);
    }

    static double of(long part, long whole) {
        return whole <= 0 ? 0 : clamp(100.0 * part / whole);
    }
}
