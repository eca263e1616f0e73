package io.github.sysloadexporter.sysload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.testing.LogLines;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Each kind of problem once, then at most once a minute, and its end once. */
class ProblemLogTest {
    static final long SECOND = 1_000_000_000L;

    final LogLines log = new LogLines(Level.INFO);
    final ProblemLog problems = new ProblemLog(log, 60 * SECOND);

    @Test
    void onceThenAtMostOnceAMinuteWithTheCountLeftOut() {
        for (int s = 0; s <= 130; s++) {
            problems.problem("stat", s * SECOND, "stat failed at " + s);
        }
        assertEquals(
                List.of(
                        "WARN stat failed at 0",
                        "WARN stat failed at 60 (59 more times since the last report)",
                        "WARN stat failed at 120 (59 more times since the last report)"),
                log.lines());
    }

    @Test
    void kindsAreCountedApartAndTheEndIsSaidOnce() {
        problems.problem("diskstats", 0, "diskstats gone");
        problems.problem("skipped interrupts", SECOND, "a bad line");
        problems.over("diskstats", "diskstats back");
        problems.over("diskstats", "diskstats back");
        problems.over("interrupts", "never failed, nothing to say");
        // failing again within the minute: not repeated, the next report says how often
        problems.problem("diskstats", 2 * SECOND, "diskstats gone");
        problems.problem("diskstats", 61 * SECOND, "diskstats gone");
        assertEquals(
                List.of(
                        "WARN diskstats gone",
                        "WARN a bad line",
                        "INFO diskstats back",
                        "WARN diskstats gone (1 more times since the last report)"),
                log.lines());
    }
}
