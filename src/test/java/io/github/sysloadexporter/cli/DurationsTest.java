package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Duration flags read as Go's exporters write them. */
class DurationsTest {
    @Test
    void unitsAndSums() {
        assertEquals(Duration.ofMillis(500), Durations.parse("--x", "500ms"));
        assertEquals(Duration.ofSeconds(5), Durations.parse("--x", "5s"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("--x", "1m30s"));
        assertEquals(Duration.ofHours(2).plusMillis(1), Durations.parse("--x", "2h1ms"));
    }

    @Test
    void anythingElseNamesTheFlagAndTheValue() {
        for (String bad : List.of("", "5", "s", "5 s", "-5s", "5sec", "1.5s", "5s ", "1m30", "9999999999s")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Durations.parse("--web.idle-timeout", bad), bad);
            assertTrue(e.getMessage().startsWith("--web.idle-timeout must be a duration"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
