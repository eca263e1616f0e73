package io.github.sysloadexporter.sysload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Each kind of problem once, then at most once a minute, and its end once. */
class ProblemLogTest {
    static final long SECOND = 1_000_000_000L;

    /** Keeps every line at WARN and INFO, as "LEVEL message". */
    static final class Lines extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<String> lines = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level, Marker marker, String pattern, Object[] args, Throwable t) {
            if (level.toInt() >= Level.INFO.toInt()) {
                lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

    final Lines log = new Lines();
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
                log.lines);
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
                log.lines);
    }
}
