package io.github.sysloadexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** README.md, for tests that hold it to what the code does. */
public final class Readme {
    /** A heading line; a shell comment in a code block has one '#' only. */
    private static final Pattern NEXT_HEADING = Pattern.compile("\n#{2,6} ");

    private static final Path FILE = Repository.path("README.md");

    private Readme() {}

    /** The text under the heading (e.g. "## Metrics") up to the next heading of any level. */
    public static String section(String heading) {
        String text;
        try {
            text = Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = text.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new AssertionError("README.md has no heading '" + heading + "'");
        }
        start += heading.length() + 2;
        Matcher next = NEXT_HEADING.matcher(text);
        return text.substring(start, next.find(start) ? next.start() : text.length());
    }
}
