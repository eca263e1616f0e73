package io.github.sysloadexporter.sysload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.procfs.Skipped;
import io.github.sysloadexporter.testing.LogLines;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Each source's health as published, and what the operator reads of it. */
class HealthTest {
    static final long SECOND = 1_000_000_000L;

    final LogLines log = new LogLines(Level.INFO);
    final Health health = new Health(log);

    @Test
    void aFailureIsCountedAndToldWithItsCostThenItsEndOnce() {
        health.failed(Source.DISKSTATS, 0, new NoSuchFileException("/proc/diskstats"), "no disks: ");
        health.failed(Source.DISKSTATS, SECOND, new NoSuchFileException("/proc/diskstats"), "no disks: ");
        assertEquals(new SourceHealth(false, 2, 0), health.snapshot().get(Source.DISKSTATS));
        assertFalse(health.up(Source.DISKSTATS));
        health.read(Source.DISKSTATS, 2 * SECOND, Skipped.NONE);
        health.read(Source.DISKSTATS, 3 * SECOND, Skipped.NONE);
        assertEquals(new SourceHealth(true, 2, 0), health.snapshot().get(Source.DISKSTATS));
        assertEquals(
                List.of(
                        "WARN no disks: /proc/diskstats: no such file",
                        "INFO diskstats readable again (2 failures since start)"),
                log.lines());
    }

    @Test
    void skippedLinesAddUpAndTheSourceStaysUp() {
        Skipped two = new Skipped(2, List.of(new ProcfsFormatException("/proc/stat", 4, "too few fields")));
        health.read(Source.STAT, 0, two);
        health.read(Source.STAT, SECOND, two);
        assertEquals(new SourceHealth(true, 0, 4), health.snapshot().get(Source.STAT));
        // warned of once within the minute
        assertEquals(
                List.of("WARN skipped 2 unparsable line(s), the rest of the file counts: /proc/stat:4: too few fields"),
                log.lines());
    }

    @Test
    void aScanIsOneFailureHoweverManyOfItsPartsFailAndEachPartIsToldApart() {
        health.scanned(0, new NoSuchFileException("/sys/class/net"), new NoSuchFileException("/sys/block"));
        assertEquals(new SourceHealth(false, 1, 0), health.snapshot().get(Source.SYSFS));
        health.scanned(10 * SECOND, null, new NoSuchFileException("/sys/block"));
        assertEquals(new SourceHealth(false, 2, 0), health.snapshot().get(Source.SYSFS));
        health.scanned(20 * SECOND, null, null);
        assertTrue(health.up(Source.SYSFS));
        assertEquals(
                List.of(
                        "WARN network interfaces not rescanned, keeping the last ones: /sys/class/net: no such file",
                        "WARN block devices not rescanned, keeping the last ones: /sys/block: no such file",
                        "INFO network interfaces rescanned again",
                        "INFO block devices rescanned again"),
                log.lines());
    }

    @Test
    void aSnapshotDoesNotChangeWithTheHealthAfterIt() {
        Map<Source, SourceHealth> before = health.snapshot();
        health.failed(Source.STAT, 0, new NoSuchFileException("/proc/stat"), "");
        assertEquals(SourceHealth.FRESH, before.get(Source.STAT));
        assertEquals(Source.values().length, before.size());
    }
}
