package io.github.sysloadexporter.sysload;

/**
 * What a scrape reads: the last good sample and the sampler's own health, swapped in as one
 * immutable value so a scrape never sees half of an update and never waits for one.
 *
 * @param sample              last good sample; null until the second reading
 * @param samplesTotal        readings that succeeded
 * @param failuresTotal       readings that failed (file missing, unparsable, ...)
 * @param lastSuccessSeconds  wall-clock time of the last good reading (Unix seconds), 0 if none
 * @param process             the exporter's own process figures
 */
public record Published(Sample sample, long samplesTotal, long failuresTotal,
                        double lastSuccessSeconds, ProcessStats process) {
    public static final Published NOTHING_YET = new Published(null, 0, 0, 0, ProcessStats.UNKNOWN);
}
