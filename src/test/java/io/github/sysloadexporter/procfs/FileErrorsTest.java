package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FileErrorsTest {
    @Test
    void eachFailureIsOneLineThatNamesTheFile() {
        assertEquals("/proc/stat: no such file", FileErrors.describe(new NoSuchFileException("/proc/stat")));
        assertEquals(
                "/proc/diskstats: permission denied",
                FileErrors.describe(new AccessDeniedException("/proc/diskstats")));
        assertEquals("/proc/stat:1: broken", FileErrors.describe(new ProcfsFormatException("/proc/stat", 1, "broken")));
        // no message of its own: its class says what it was
        assertEquals("java.io.IOException", FileErrors.describe(new IOException()));
    }
}
