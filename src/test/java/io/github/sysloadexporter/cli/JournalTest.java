package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** JOURNAL_STREAM against stderr's device and inode; LogsIT runs it for real. */
class JournalTest {
    @Test
    void theJournalIsStderrWhenJournalStreamNamesIt() {
        assertFalse(Journal.connected(null, Optional.of("8:123")));
        assertFalse(Journal.connected("", Optional.empty()));
        assertTrue(Journal.connected("8:123", Optional.of("8:123")));
        assertTrue(Journal.connected("8:123\n", Optional.of("8:123")));
        // inherited by a program whose stderr goes elsewhere (a file): not the journal
        assertFalse(Journal.connected("8:123", Optional.of("2049:77")));
        // stderr cannot be looked at: the variable is believed
        assertTrue(Journal.connected("8:123", Optional.empty()));
    }
}
