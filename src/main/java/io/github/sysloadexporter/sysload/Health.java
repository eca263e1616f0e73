package io.github.sysloadexporter.sysload;

import static io.github.sysloadexporter.procfs.FileErrors.describe;

import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.procfs.Skipped;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * How each source fared, and what the operator is told of it: a failure or skipped lines are
 * logged once, then at most once a minute ({@link ProblemLog}), and a source readable again
 * once. Driven by the sampler's thread and clock; not thread-safe: {@link #snapshot} is what
 * leaves that thread.
 */
final class Health {
    static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final String SYSFS_NET = "sysfs class/net";
    private static final String SYSFS_BLOCK = "sysfs block";

    private final Logger log;
    private final ProblemLog problems;
    private final EnumMap<Source, SourceHealth> sources = new EnumMap<>(Source.class);

    Health(Logger log) {
        this.log = log;
        this.problems = new ProblemLog(log, LOG_INTERVAL_NANOS);
        for (Source s : Source.values()) {
            sources.put(s, SourceHealth.FRESH);
        }
    }

    boolean up(Source source) {
        return sources.get(source).up();
    }

    /** Each source's health now, for a publication. */
    Map<Source, SourceHealth> snapshot() {
        return new EnumMap<>(sources);
    }

    /** A source read or scanned as a whole; its skipped lines, if any, counted and reported. */
    void read(Source source, long now, Skipped skipped) {
        SourceHealth h = sources.get(source);
        if (!h.up()) {
            problems.over(
                    source.label(), source.label() + " readable again (" + h.failures() + " failures since start)");
        }
        if (skipped.count() > 0) {
            problems.problem(
                    "skipped " + source.label(),
                    now,
                    "skipped " + skipped.count() + " unparsable line(s), the rest of the file counts: "
                            + skipped.first().get(0).getMessage());
            // At debug each line, as far as the parser kept them (a file of garbage keeps a few).
            for (ProcfsFormatException line : skipped.first()) {
                log.debug("line skipped: {}", line.getMessage());
            }
            if (skipped.count() > skipped.first().size()) {
                log.debug(
                        "{} more line(s) of {} skipped, not kept",
                        skipped.count() - skipped.first().size(),
                        source.label());
            }
        }
        sources.put(source, new SourceHealth(true, h.failures(), h.skippedLines() + skipped.count()));
    }

    /** A source that could not be read: counted, and logged with what it costs. */
    void failed(Source source, long now, Exception e, String consequence) {
        SourceHealth h = sources.get(source);
        sources.put(source, new SourceHealth(false, h.failures() + 1, h.skippedLines()));
        problems.problem(source.label(), now, consequence + describe(e));
    }

    /** A fault of the exporter's own: logged as such; what it cost is counted by the caller. */
    void internal(long now, RuntimeException e) {
        problems.problem("internal", now, "sample failed on a fault of the exporter: " + e);
    }

    /**
     * One sysfs scan of its two parts, each reported apart; one failure counted however many
     * of them failed.
     *
     * @param nics  null if the NICs were scanned, else why not
     * @param disks null if the disks were scanned, else why not
     */
    void scanned(long now, Exception nics, Exception disks) {
        report(SYSFS_NET, now, nics, "network interfaces");
        report(SYSFS_BLOCK, now, disks, "block devices");
        SourceHealth h = sources.get(Source.SYSFS);
        boolean ok = nics == null && disks == null;
        sources.put(Source.SYSFS, new SourceHealth(ok, h.failures() + (ok ? 0 : 1), h.skippedLines()));
    }

    private void report(String part, long now, Exception e, String what) {
        if (e == null) {
            problems.over(part, what + " rescanned again");
        } else {
            problems.problem(part, now, what + " not rescanned, keeping the last ones: " + describe(e));
        }
    }
}
