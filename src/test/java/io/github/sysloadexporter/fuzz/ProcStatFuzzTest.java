package io.github.sysloadexporter.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcStatParser;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the /proc/stat parser with arbitrary bytes. {@code mvn verify} runs it over the seeds in
 * src/test/resources/io/github/sysloadexporter/fuzz/ProcStatFuzzTestInputs/parse (the fixtures'
 * stat files, good and broken); src/test/fuzz/fuzz.sh fuzzes it.
 */
class ProcStatFuzzTest {
    /** Bytes one cpuN entry keeps (TreeMap entry, Integer, CpuTimes), for the retention check. */
    private static final int BYTES_PER_CPU = 160;

    // tokens for the fuzzer's mutations (fuzzing only)
    @DictionaryEntries({
        "cpu ",
        "cpu0 ",
        "cpu12 ",
        "intr ",
        "ctxt ",
        " 0",
        "18446744073709551615",
        "18446744073709551616",
        "2147483648",
        "4294967296"
    })
    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        ProcText text = ProcText.of(input);
        ProcStat stat;
        try {
            stat = ProcStatParser.parse("/proc/stat", text);
        } catch (ProcfsFormatException e) {
            // the declared failure; a parser that skips bad lines instead is fine too
            text.assertWellFormed(e, "/proc/stat");
            return;
        } finally {
            text.assertLinearReads("ProcStatParser");
        }
        assertNotNull(stat.total(), "no aggregate cpu line, yet no error");
        text.assertWellFormed(stat.skipped(), "/proc/stat");
        for (int cpu : stat.perCpu().keySet()) {
            assertTrue(cpu >= 0, () -> "negative CPU id " + cpu);
        }
        // each cpuN, the aggregate cpu line, intr, ctxt and each skipped line are lines of their own
        int lines = text.lines();
        long used = stat.perCpu().size()
                + 1
                + (stat.interrupts().isPresent() ? 1 : 0)
                + (stat.contextSwitches().isPresent() ? 1 : 0)
                + stat.skipped().count();
        assertTrue(used <= lines, () -> used + " lines used of " + lines);
        long retained = (long) stat.perCpu().size() * BYTES_PER_CPU;
        assertTrue(
                retained <= 16L * text.length() + 1024,
                () -> "about " + retained + " bytes kept from " + text.length() + " bytes of input");
    }
}
