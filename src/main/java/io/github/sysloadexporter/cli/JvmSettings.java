package io.github.sysloadexporter.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting the exporter makes that holds for its whole JVM: system properties that
 * picocli, Jetty, slf4j-simple and the JDK's locale services each read once, when their
 * classes first load.
 * They are made here and nowhere else, called from {@link Main#main} before anything that reads
 * them runs; the tests, which run the exporter's classes in a JVM of their own, never call it.
 *
 * <p>Three steps: {@link #beforeParse} and {@link #logTimestamps} first thing, and
 * {@link #logLevel} once the command line has given the level and before anything logs.
 */
final class JvmSettings {
    /** What {@link #beforeParse} sets, each unless -D on the command line gave it. */
    static final Map<String, String> DEFAULTS = defaults();

    static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String SHOW_DATE_TIME = "org.slf4j.simpleLogger.showDateTime";
    static final String DATE_TIME_FORMAT = "org.slf4j.simpleLogger.dateTimeFormat";
    /** RFC 3339 with milliseconds and the local offset, e.g. 2025-11-24T09:30:00.123+01:00. */
    static final String TIMESTAMP = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    private JvmSettings() {}

    private static Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>();
        // No option is a date, a time or an SQL type: without this picocli registers converters
        // for them, and java.time's formatters pull in the locale data, which would stay
        // resident for the life of the daemon (what it costs: README, Resource use). Read by
        // new CommandLine.
        d.put("picocli.converters.excludes", "java\\.(sql|time)\\..*");
        // Jetty sizes its queues by how many references fill a cache line; without this it asks
        // the JVM through the platform MBean server, which loads JMX into a daemon that never
        // serves JMX (README, Resource use). 16: 64-byte lines, compressed oops.
        d.put("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        // Jetty's MIME types list every locale the JDK knows when their class loads: from the
        // JDK's CLDR data that is some 14,000 set entries, a megabyte of heap kept for the life
        // of the daemon (README, Resource use). The exporter formats nothing in a reader's
        // language (what it writes is Locale.ROOT's), so locale data is taken from installed
        // providers only, of which there are none, and else is the root locale's. Read by the
        // JDK at the first locale-sensitive call.
        d.put("java.locale.providers", "SPI");
        return Map.copyOf(d);
    }

    /** The settings needed before the command line is parsed: {@link #DEFAULTS}, -D winning. */
    static void beforeParse(Properties jvm) {
        DEFAULTS.forEach((k, v) -> {
            if (jvm.getProperty(k) == null) {
                jvm.setProperty(k, v);
            }
        });
    }

    /**
     * A timestamp on every log line, unless stderr is the journal ({@link Journal}), which
     * stamps lines itself; -D wins. slf4j-simple reads both once, at the first logger.
     */
    static void logTimestamps(Properties jvm, boolean stderrIsJournal) {
        if (stderrIsJournal) {
            return;
        }
        if (jvm.getProperty(SHOW_DATE_TIME) == null) {
            jvm.setProperty(SHOW_DATE_TIME, "true");
        }
        if (jvm.getProperty(DATE_TIME_FORMAT) == null) {
            jvm.setProperty(DATE_TIME_FORMAT, TIMESTAMP);
        }
    }

    /**
     * The level of --log.level (which wins over -D: it is the flag for it). slf4j-simple reads
     * it once, when the first logger is made, so nothing may log before this.
     */
    static void logLevel(Properties jvm, String level) {
        jvm.setProperty(LOG_LEVEL, level);
    }
}
