package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatParserTest {

    private static ProcStat parseFixture(String relative) throws Exception {
        return ProcStatParser.parse(relative, Fixtures.text(relative));
    }

    private static ProcfsFormatException failure(String text) {
        return assertThrows(ProcfsFormatException.class, () -> ProcStatParser.parse("t/stat", text));
    }

    @Test
    void realVirtioGuest() throws Exception {
        ProcStat s = parseFixture("virtio-2cpu/proc/stat");
        assertEquals(new CpuTimes(6119, 0, 2804, 72293, 553, 0, 119, 9, 0, 0), s.total());
        assertEquals(List.of(0, 1), List.copyOf(s.perCpu().keySet()));
        assertEquals(
                new CpuTimes(2493, 0, 1110, 37262, 52, 0, 18, 3, 0, 0),
                s.perCpu().get(0));
        assertEquals(
                new CpuTimes(3625, 0, 1694, 35030, 500, 0, 100, 6, 0, 0),
                s.perCpu().get(1));
        assertEquals(337546, s.interrupts().getAsLong());
        assertEquals(779018, s.contextSwitches().getAsLong());
    }

    @Test
    void metalHostOf64Cpus() throws Exception {
        ProcStat s = parseFixture("metal-64cpu/proc/stat");
        assertEquals(new CpuTimes(193901945, 660479, 48952475, 6048437057L, 2501387, 0, 19869833, 0, 0, 0), s.total());
        assertEquals(64, s.perCpu().size());
        assertEquals(0, s.perCpu().firstKey());
        assertEquals(63, s.perCpu().lastKey());
        assertEquals(96192276, s.perCpu().get(7).idle());
        assertEquals(1060902, s.perCpu().get(7).softirq());
        assertEquals(
                new CpuTimes(2809526, 946, 618434, 94096190, 47039, 0, 7432, 0, 0, 0),
                s.perCpu().get(63));
        assertEquals(1336207048, s.interrupts().getAsLong());
        assertEquals(98765432109L, s.contextSwitches().getAsLong());
    }

    @Test
    void offlineCpuHasNoLineButStillCountsInTheAggregate() throws Exception {
        ProcStat s = parseFixture("metal-64cpu-offline/proc/stat");
        assertEquals(63, s.perCpu().size());
        assertFalse(s.perCpu().containsKey(5));
        assertTrue(s.perCpu().containsKey(4) && s.perCpu().containsKey(6));
        assertEquals(6048437057L, s.total().idle());
    }

    @Test
    void oldKernelsWithSevenOrEightFieldsGetZeros() throws Exception {
        ProcStat s =
                ProcStatParser.parse("t", "cpu  10 1 2 30 4 5 6\ncpu0 10 1 2 30 4 5 6 7\n" + "intr 99 1 2\nctxt 5\n");
        assertEquals(new CpuTimes(10, 1, 2, 30, 4, 5, 6, 0, 0, 0), s.total());
        assertEquals(new CpuTimes(10, 1, 2, 30, 4, 5, 6, 7, 0, 0), s.perCpu().get(0));
    }

    @Test
    void valuesAreUnsigned64Bit() throws Exception {
        ProcStat s = ProcStatParser.parse(
                "t",
                "cpu 18446744073709551615 0 0 9223372036854775808" + " 0 0 0\nintr 18446744073709551615\nctxt 0\n");
        assertEquals(-1L, s.total().user());
        assertEquals(Long.MIN_VALUE, s.total().idle());
        assertEquals(
                Long.parseUnsignedLong("18446744073709551615"), s.interrupts().getAsLong());
    }

    /** Parses text whose bad lines are skipped, and checks how many. */
    private static ProcStat skipping(int expected, String text) throws Exception {
        ProcStat s = ProcStatParser.parse("t/stat", text);
        assertEquals(
                expected, s.skipped().count(), () -> "skipped: " + s.skipped().first());
        return s;
    }

    private static String firstProblem(ProcStat s) {
        return s.skipped().first().get(0).getMessage();
    }

    @Test
    void overflowSkipsItsLineOnly() throws Exception {
        ProcStat s = skipping(1, "cpu 1 2 3 4 5 6 7\nintr 18446744073709551616\nctxt 1\n");
        assertTrue(firstProblem(s).startsWith("t/stat:2: intr total does not fit in 64 bits"), firstProblem(s));
        assertTrue(s.interrupts().isEmpty());
        assertEquals(1, s.contextSwitches().getAsLong());
        s = skipping(
                1,
                "cpu 1 2 3 4 5 6 7\nintr 1\ncpu0 1 2 3 4 5 6 99999999999999999999\n" + "cpu1 1 2 3 4 5 6 7\nctxt 1\n");
        assertEquals(3, s.skipped().first().get(0).line());
        assertEquals(List.of(1), List.copyOf(s.perCpu().keySet()));
    }

    @Test
    void onlyTheFirstNumberOfIntrIsRead() throws Exception {
        // Anything after the total is not looked at, not even whether it is a number.
        ProcStat s = skipping(0, "cpu 1 2 3 4 5 6 7\nintr 42 x y\nctxt 7\n");
        assertEquals(42, s.interrupts().getAsLong());
    }

    @Test
    void linesOfOtherNamesArePassedOverNotCounted() throws Exception {
        ProcStat s = skipping(
                0,
                "cpu 1 2 3 4 5 6 7\nbtime x\nintr 3\nfoo bar\n"
                        + "ctxt 4\nsoftirq 1 2 3\nprocs_running 2\ncpufreq 1\n");
        assertEquals(3, s.interrupts().getAsLong());
        assertEquals(4, s.contextSwitches().getAsLong());
    }

    @Test
    void duplicateLinesAreSkippedTheFirstCounts() throws Exception {
        ProcStat s = skipping(
                4,
                "cpu 1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n"
                        + "cpu1 1 2 3 4 5 6 7\ncpu0 9 9 9 9 9 9 9\nintr 1\nctxt 1\ncpu 9 9 9 9 9 9 9\n"
                        + "intr 2\nctxt 2\n");
        assertEquals("t/stat:4: duplicate line for cpu0", firstProblem(s));
        assertEquals(1, s.perCpu().get(0).user());
        assertEquals(1, s.total().user());
        assertEquals(1, s.interrupts().getAsLong());
        assertEquals(1, s.contextSwitches().getAsLong());
    }

    @Test
    void withoutTheAggregateLineTheFileFails() {
        ProcfsFormatException e = failure("cpu0 1 2 3 4 5 6 7\nintr 1\nctxt 1\n");
        assertEquals("t/stat: no aggregate 'cpu' line (file ends at line 3)", e.getMessage());
        // a bad aggregate line: its own problem is the file's
        e = failure("cpu 1 2 3\ncpu0 1 2 3 4 5 6 7\nintr 1\nctxt 1\n");
        assertEquals("t/stat:1: cpu line has 3 numbers, at least 7 expected (user .. softirq)", e.getMessage());
    }

    @Test
    void missingIntrOrCtxtLeavesThatValueEmpty() throws Exception {
        ProcStat s = skipping(0, "cpu 1 2 3 4 5 6 7\nctxt 1\n");
        assertTrue(s.interrupts().isEmpty());
        assertEquals(1, s.contextSwitches().getAsLong());
        s = skipping(0, "cpu 1 2 3 4 5 6 7\nintr 1\n");
        assertTrue(s.contextSwitches().isEmpty());
    }

    /** The problems of the malformed fixtures are in MalformedFixturesTest; here, what is kept. */
    @Test
    void truncatedCpuLineCostsThatCpu() throws Exception {
        ProcStat s = parseFixture("malformed/stat-truncated-cpu-line/stat");
        assertEquals(List.of(0), List.copyOf(s.perCpu().keySet()));
        assertEquals(72293, s.total().idle());
        assertEquals(337546, s.interrupts().getAsLong());
        assertEquals(779018, s.contextSwitches().getAsLong());
    }

    @Test
    void fileCutInTheMiddleKeepsWhatCameBefore() throws Exception {
        // cut inside cpu40's line, which still has 9 numbers: it counts; intr and ctxt are gone
        ProcStat s = parseFixture("malformed/stat-cut-mid-file/stat");
        assertEquals(41, s.perCpu().size());
        assertTrue(s.interrupts().isEmpty());
        assertTrue(s.contextSwitches().isEmpty());
    }

    @Test
    void nonNumericFieldCostsThatCpu() throws Exception {
        ProcStat s = parseFixture("malformed/stat-non-numeric/stat");
        assertEquals(List.of(1), List.copyOf(s.perCpu().keySet()));
    }

    @Test
    void garbageIsSkippedAndQuotedReadably() throws Exception {
        String file = "malformed/stat-garbage/stat";
        // the garbage lines themselves, as the sampler would log them
        ProcStatParser.Builder b = new ProcStatParser.Builder(file);
        TextCursor.forEachLine(file, Fixtures.text(file), b);
        Skipped skipped = b.skipped();
        assertTrue(skipped.count() > 0);
        String first = skipped.first().get(0).getMessage();
        assertTrue(first.startsWith(file + ":1: not a /proc/stat line: '\\x7fELF\\x02\\x01\\x01\\x00"), first);
        assertTrue(first.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f), first);
    }

    @Test
    void blankLinesOnlyAreAnEmptyFile() {
        assertEquals("t/stat: empty file", failure("\n\n").getMessage());
    }
}
