package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.testing.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The prelude's settings, made on a Properties of the test's own, never on this JVM's. */
class JvmSettingsTest {
    @Test
    void picocliSkipsTheTimeConvertersUnlessDashDSaysOtherwise() {
        Properties jvm = new Properties();
        JvmSettings.beforeParse(jvm);
        assertEquals("java\\.(sql|time)\\..*", jvm.getProperty("picocli.converters.excludes"));

        Properties given = new Properties();
        given.setProperty("picocli.converters.excludes", "none");
        JvmSettings.beforeParse(given);
        assertEquals("none", given.getProperty("picocli.converters.excludes"));
    }

    @Test
    void theLogLevelFlagWinsOverDashD() {
        Properties jvm = new Properties();
        jvm.setProperty(JvmSettings.LOG_LEVEL, "error");
        JvmSettings.logLevel(jvm, "debug");
        assertEquals("debug", jvm.getProperty(JvmSettings.LOG_LEVEL));
    }

    @Test
    void timestampsUnlessTheJournalStampsTheLines() {
        Properties terminal = new Properties();
        JvmSettings.logTimestamps(terminal, false);
        assertEquals("true", terminal.getProperty(JvmSettings.SHOW_DATE_TIME));
        assertEquals("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", terminal.getProperty(JvmSettings.DATE_TIME_FORMAT));

        Properties journal = new Properties();
        JvmSettings.logTimestamps(journal, true);
        assertEquals(0, journal.size());

        Properties given = new Properties();
        given.setProperty(JvmSettings.SHOW_DATE_TIME, "false");
        JvmSettings.logTimestamps(given, false);
        assertEquals("false", given.getProperty(JvmSettings.SHOW_DATE_TIME));
    }

    /** The one place: no other main class sets, clears or replaces a system property. */
    @Test
    void noOtherClassChangesSystemProperties() throws IOException {
        Path main = Repository.path("src/main/java");
        List<String> others;
        try (Stream<Path> files = Files.walk(main)) {
            others = files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("cli/JvmSettings.java"))
                    .filter(p -> {
                        String text = read(p);
                        return text.contains("setProperty(")
                                || text.contains("clearProperty(")
                                || text.contains("setProperties(");
                    })
                    .map(p -> main.relativize(p).toString())
                    .toList();
        }
        assertEquals(List.of(), others);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
