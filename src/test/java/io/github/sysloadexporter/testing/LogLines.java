package io.github.sysloadexporter.testing;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger that keeps each line at or above its level as "LEVEL message", for tests of what a
 * class logs; no JVM-wide logging setting is touched.
 */
public final class LogLines extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final Level level;
    private final List<String> lines = new ArrayList<>();

    /** Keeps the lines at {@code level} and above; the levels below are not enabled. */
    public LogLines(Level level) {
        this.level = level;
        this.name = "test";
    }

    /** Every line kept so far, in order. */
    public List<String> lines() {
        return lines;
    }

    /** The lines kept so far at exactly this level, without the level's name. */
    public List<String> at(Level l) {
        String prefix = l + " ";
        return lines.stream()
                .filter(s -> s.startsWith(prefix))
                .map(s -> s.substring(prefix.length()))
                .toList();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level l, Marker marker, String pattern, Object[] args, Throwable t) {
        if (l.toInt() >= level.toInt()) {
            lines.add(l + " " + MessageFormatter.basicArrayFormat(pattern, args));
        }
    }

    private boolean enabled(Level l) {
        return l.toInt() >= level.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }
}
