package io.github.sysloadexporter.sysload;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a scrape reads: the last good sample and the sampler's own health, swapped in as one
 * immutable value so a scrape never sees half of an update and never waits for one.
 *
 * @param sample              last good sample; null until the second reading
 * @param samplesTotal        readings that succeeded
 * @param failuresTotal       readings that failed as a whole (/proc/stat unusable)
 * @param lastSuccessSeconds  wall-clock time of the last good reading (Unix seconds), 0 if none
 * @param sources             each source's health, every source present
 */
public record Published(
        Sample sample,
        long samplesTotal,
        long failuresTotal,
        double lastSuccessSeconds,
        Map<Source, SourceHealth> sources) {
    public static final Published NOTHING_YET = new Published(null, 0, 0, 0, freshSources());

    public Published {
        EnumMap<Source, SourceHealth> all = freshSources();
        all.putAll(sources);
        sources = Collections.unmodifiableMap(all);
    }

    private static EnumMap<Source, SourceHealth> freshSources() {
        EnumMap<Source, SourceHealth> m = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            m.put(s, SourceHealth.FRESH);
        }
        return m;
    }
}
