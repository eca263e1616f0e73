package io.github.sysloadexporter.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a duration flag as Go's exporters write them: a whole number and a unit, {@code ms},
 * {@code s}, {@code m} or {@code h}, or several such terms in a row ({@code 1m30s}).
 */
final class Durations {
    private static final Pattern TERM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    static Duration parse(String flag, String text) {
        Matcher m = TERM.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
            at = m.end();
        }
        if (at == 0 || at != text.length()) {
            throw new IllegalArgumentException(
                    flag + " must be a duration such as 500ms, 5s or 1m30s, got '" + text + "'");
        }
        return total;
    }
}
