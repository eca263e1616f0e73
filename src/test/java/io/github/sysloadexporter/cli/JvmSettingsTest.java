package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The prelude's settings, made on a Properties of the test's own, never on this JVM's. */
class JvmSettingsTest {
    /** Each default is set where -D gave nothing, and -D wins where it gave something. */
    @Test
    void beforeParseFillsOnlyWhatDashDLeftUnset() {
        for (String key : JvmSettings.DEFAULTS.keySet()) {
            Properties given = new Properties();
            given.setProperty(key, "given");
            JvmSettings.beforeParse(given);
            assertEquals("given", given.getProperty(key), key);
            JvmSettings.DEFAULTS.forEach((k, v) -> {
                if (!k.equals(key)) {
                    assertEquals(v, given.getProperty(k), k + " beside -D" + key);
                }
            });
        }
    }

    /**
     * The converters left out keep java.time's locale data unloaded, and none of them is one
     * an option needs: picocli would refuse such an option at the first parse.
     */
    @Test
    void theExcludedConvertersAreTimeAndSqlTypesNoOptionHas() {
        Pattern excluded = Pattern.compile(JvmSettings.DEFAULTS.get("picocli.converters.excludes"));
        assertTrue(excluded.matcher("java.time.Duration").matches());
        assertTrue(excluded.matcher("java.sql.Timestamp").matches());
        List<String> refused = new ArrayList<>();
        List<CommandSpec> commands =
                new ArrayList<>(List.of(Main.commandLine(new Main()).getCommandSpec()));
        for (int i = 0; i < commands.size(); i++) {
            commands.addAll(commands.get(i).subcommands().values().stream()
                    .map(CommandLine::getCommandSpec)
                    .toList());
            for (ArgSpec arg : commands.get(i).args()) {
                for (Class<?> type : arg.auxiliaryTypes()) {
                    if (excluded.matcher(type.getName()).matches()) {
                        refused.add(commands.get(i).name() + " " + arg.paramLabel() + ": " + type.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), refused);
    }

    @Test
    void theLogLevelFlagWinsOverDashD() {
        Properties jvm = new Properties();
        jvm.setProperty(JvmSettings.LOG_LEVEL, "error");
        JvmSettings.logLevel(jvm, "debug");
        assertEquals("debug", jvm.getProperty(JvmSettings.LOG_LEVEL));
    }

    /** slf4j-simple formats its timestamps with SimpleDateFormat: RFC 3339, milliseconds, the offset. */
    @Test
    void timestampsAreRfc3339UnlessTheJournalStampsTheLines() {
        Properties terminal = new Properties();
        JvmSettings.logTimestamps(terminal, false);
        assertEquals("true", terminal.getProperty(JvmSettings.SHOW_DATE_TIME));
        SimpleDateFormat format = new SimpleDateFormat(terminal.getProperty(JvmSettings.DATE_TIME_FORMAT));
        format.setTimeZone(TimeZone.getTimeZone("GMT+01:00"));
        assertEquals("2025-11-24T09:30:00.123+01:00", format.format(new Date(1_763_973_000_123L)));
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        assertEquals("2025-11-24T08:30:00.123Z", format.format(new Date(1_763_973_000_123L)));

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
