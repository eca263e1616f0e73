package io.github.sysloadexporter.sysload;

import static io.github.sysloadexporter.testing.Fixtures.c;
import static io.github.sysloadexporter.testing.Fixtures.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.testing.LogLines;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Which CPUs serve each NIC, followed across readings of /proc/interrupts. */
class NicCpuTrackerTest {
    static final long SECOND = 1_000_000_000L;

    final LogLines log = new LogLines(Level.INFO);
    final NicCpuTracker tracker = new NicCpuTracker(log, new InventoryLog(log));

    /** eth0's line 38 and eth1's line 40 on CPUs 0 and 1. */
    static Interrupts counts(long[] eth0, long[] eth1) {
        return new Interrupts(
                new int[] {0, 1},
                List.of(
                        line("38", eth0, "PCI-MSI 1-edge", "eth0-rx-0"),
                        line("40", eth1, "PCI-MSI 2-edge", "eth1-rx-0")));
    }

    @Test
    void theCpusAreThoseWhoseCountGrewAndAnIdleNicKeepsItsLast() {
        tracker.tie(Map.of("eth0", Set.of("38")), 0);
        tracker.read(counts(c(0, 0), c(0, 0)), 0);
        assertEquals(Set.of(), tracker.cpus("eth0")); // one reading says nothing yet
        tracker.read(counts(c(0, 500), c(0, 0)), SECOND);
        assertEquals(Set.of(1), tracker.cpus("eth0"));
        tracker.read(counts(c(0, 500), c(0, 0)), 11 * SECOND);
        assertEquals(Set.of(1), tracker.cpus("eth0")); // idle: where it was last seen
        tracker.read(counts(c(700, 500), c(0, 0)), 21 * SECOND); // irqbalance moved it
        assertEquals(Set.of(0), tracker.cpus("eth0"));
        assertEquals(List.of(new NicGroup("eth0", Set.of(0))), tracker.groups());
    }

    @Test
    void countsAreReadTwiceThenEveryTenSecondsAndAgainAtOnceForNewLines() {
        tracker.tie(Map.of("eth0", Set.of("38")), 0);
        assertTrue(tracker.due(0));
        tracker.read(counts(c(0, 0), c(0, 0)), 0);
        assertTrue(tracker.due(SECOND));
        tracker.read(counts(c(0, 9), c(0, 0)), SECOND);
        assertFalse(tracker.due(10 * SECOND));
        assertTrue(tracker.due(11 * SECOND));
        // the same lines tied again: nothing new to count, the schedule holds
        tracker.tie(Map.of("eth0", Set.of("38")), 5 * SECOND);
        assertFalse(tracker.due(5 * SECOND));
        // a NIC appeared: its line had no counts kept, so two readings at once
        tracker.tie(Map.of("eth0", Set.of("38"), "eth1", Set.of("40")), 6 * SECOND);
        assertTrue(tracker.due(6 * SECOND));
        assertTrue(tracker.counted().keepCounts("40", List.of("eth1-rx-0")));
        assertFalse(tracker.counted().keepCounts("39", List.of("eth0-tx-0")));
    }

    @Test
    void aNicNoLongerTiedIsForgottenAndTheOrderIsTheTies() {
        tracker.tie(Map.of("eth1", Set.of("40")), 0);
        tracker.read(counts(c(0, 0), c(0, 0)), 0);
        tracker.read(counts(c(0, 0), c(9, 0)), SECOND);
        assertEquals(Map.of("eth1", Set.of(0)), tracker.cpus());
        tracker.tie(Map.of("eth0", Set.of("38")), 2 * SECOND);
        assertEquals(Map.of(), tracker.cpus());
        assertEquals(List.of(new NicGroup("eth0", Set.of())), tracker.groups());
    }
}
