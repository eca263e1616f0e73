package io.github.sysloadexporter.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.DiskStatsParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the /proc/diskstats parser with arbitrary bytes. {@code mvn verify} runs it over the
 * seeds in src/test/resources/io/github/sysloadexporter/fuzz/DiskStatsFuzzTestInputs/parse (the
 * fixtures' diskstats files, good and broken); src/test/fuzz/fuzz.sh fuzzes it.
 */
class DiskStatsFuzzTest {
    /** Bytes a DiskStat and its name String keep besides the name's chars. */
    private static final int BYTES_PER_DISK = 64;

    // tokens for the fuzzer's mutations (fuzzing only)
    @DictionaryEntries({
        "   8       0 sda ",
        " 0",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775808",
        "2147483648",
        "4294967296"
    })
    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        ProcText text = ProcText.of(input);
        DiskStats parsed;
        try {
            parsed = DiskStatsParser.parse("/proc/diskstats", text);
        } finally {
            text.assertLinearReads("DiskStatsParser");
        }
        // a bad line is skipped, never thrown: each says where and why
        text.assertWellFormed(parsed.skipped(), "/proc/diskstats");
        List<DiskStat> disks = parsed.disks();
        int lines = text.lines();
        assertTrue(
                disks.size() + parsed.skipped().count() <= lines,
                () -> disks.size() + " disks and " + parsed.skipped().count() + " skipped from " + lines + " lines");
        long retained = 0;
        for (DiskStat d : disks) {
            assertNotNull(d.name());
            assertTrue(
                    d.major() >= 0 && d.minor() >= 0,
                    () -> "negative device number " + d.major() + ":" + d.minor() + " for " + d.name());
            assertTrue(
                    !d.name().isEmpty() && d.name().chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\n'),
                    () -> "device name is not one token: '" + d.name() + "'");
            retained += BYTES_PER_DISK + d.name().length();
        }
        long kept = retained;
        assertTrue(
                kept <= 8L * text.length() + 1024,
                () -> "about " + kept + " bytes kept from " + text.length() + " bytes of input");
    }
}
