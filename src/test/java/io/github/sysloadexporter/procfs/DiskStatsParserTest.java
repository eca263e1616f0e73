package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Fixtures;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DiskStatsParserTest {

    private static List<DiskStat> parseFixture(String relative) throws Exception {
        DiskStats parsed = DiskStatsParser.parse(relative, Fixtures.text(relative));
        assertEquals(0, parsed.skipped().count(), relative);
        return parsed.disks();
    }

    private static List<String> names(List<DiskStat> disks) {
        return disks.stream().map(DiskStat::name).collect(Collectors.toList());
    }

    private static DiskStat named(List<DiskStat> disks, String name) {
        return disks.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void realVirtioGuestTwentyFields() throws Exception {
        List<DiskStat> disks = parseFixture("virtio-2cpu/proc/diskstats");
        assertEquals(
                List.of("loop0", "loop1", "loop2", "loop3", "loop4", "loop5", "loop6", "loop7", "vda", "zram0"),
                names(disks));
        assertEquals(new DiskStat(254, 0, "vda", 9180), named(disks, "vda"));
        assertEquals(new DiskStat(253, 0, "zram0", 0), named(disks, "zram0"));
    }

    @Test
    void metalHostKeepsFileOrder() throws Exception {
        List<DiskStat> disks = parseFixture("metal-64cpu/proc/diskstats");
        assertEquals(
                List.of("loop0", "nvme0n1", "nvme0n1p1", "nvme0n1p2", "nvme1n1", "sda", "sda1", "dm-0"), names(disks));
        assertEquals(new DiskStat(259, 3, "nvme1n1", 27182818), named(disks, "nvme1n1"));
        assertEquals(new DiskStat(259, 0, "nvme0n1", 31415926), named(disks, "nvme0n1"));
        assertEquals(456789, named(disks, "sda").ioTicksMs());
        assertEquals(new DiskStat(253, 0, "dm-0", 31400000), named(disks, "dm-0"));
    }

    @Test
    void fourteenFieldsOfKernelsBefore418() throws Exception {
        List<DiskStat> disks = parseFixture("diskstats-4.9/proc/diskstats");
        assertEquals(List.of("sda", "sda1", "sdb", "sdb1", "sr0", "dm-0"), names(disks));
        assertEquals(new DiskStat(8, 0, "sda", 1052476), disks.get(0));
        assertEquals(new DiskStat(8, 16, "sdb", 712), disks.get(2));
    }

    @Test
    void eighteenFieldsOf419() throws Exception {
        List<DiskStat> disks = parseFixture("diskstats-4.19/proc/diskstats");
        assertEquals(new DiskStat(259, 0, "nvme0n1", 1356964), disks.get(0));
        assertEquals(new DiskStat(202, 0, "xvda", 141164), named(disks, "xvda"));
        assertEquals(5, disks.size());
    }

    @Test
    void blankLinesAndTrailingBlankLineAreFine() throws Exception {
        List<DiskStat> disks = DiskStatsParser.parse(
                        "t", "   8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n\n   8 1 sda1 1 2 3 4 5 6 7 8 9 12 11\n\n")
                .disks();
        assertEquals(List.of(new DiskStat(8, 0, "sda", 10), new DiskStat(8, 1, "sda1", 12)), disks);
    }

    @Test
    void ioTicksAbove32BitsSurvive() throws Exception {
        List<DiskStat> disks = DiskStatsParser.parse("t", "8 0 sda 1 2 3 4 5 6 7 8 9 18446744073709551615 11")
                .disks();
        assertEquals(-1L, disks.get(0).ioTicksMs());
    }

    @Test
    void emptyFileIsNoDisk() throws Exception {
        assertEquals(List.of(), parseFixture("malformed/diskstats-empty/diskstats"));
    }

    /** The one problem of a text with one bad line, after checking the good lines. */
    private static ProcfsFormatException onlyProblem(DiskStats parsed) {
        assertEquals(1, parsed.skipped().count(), () -> parsed.skipped().first().toString());
        return parsed.skipped().first().get(0);
    }

    /** The problems of the malformed fixtures are in MalformedFixturesTest; here, what is kept. */
    @Test
    void truncatedLineCostsThatDiskOnly() throws Exception {
        String file = "malformed/diskstats-truncated-line/diskstats";
        DiskStats parsed = DiskStatsParser.parse(file, Fixtures.text(file));
        assertEquals(Set.of("nvme1n1"), parsed.skippedNames());
        assertEquals(
                List.of("loop0", "nvme0n1", "nvme0n1p1", "nvme0n1p2", "sda", "sda1", "dm-0"), names(parsed.disks()));
    }

    @Test
    void lineOfThirteenFieldsIsTruncated() {
        DiskStats parsed = DiskStatsParser.parse(
                "t",
                "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
                        + "8 16 sdb 1 2 3 4 5 6 7 8 9 10\n8 32 sdc 1 2 3 4 5 6 7 8 9 10 11\n");
        assertEquals(2, onlyProblem(parsed).line());
        assertEquals(List.of("sda", "sdc"), names(parsed.disks()));
        assertEquals(Set.of("sdb"), parsed.skippedNames());
    }

    @Test
    void lineCutBeforeTheName() {
        DiskStats parsed = DiskStatsParser.parse("t", "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n   8");
        assertEquals(
                "t:2: line ends before the device name: 1 of at least 14 fields (truncated line?)",
                onlyProblem(parsed).getMessage());
        assertEquals(List.of("sda"), names(parsed.disks()));
        assertEquals(Set.of(), parsed.skippedNames());
    }

    @Test
    void nonNumericField() {
        DiskStats parsed = DiskStatsParser.parse("t", "8 0 sda 1 2 3 4 5 6 7 8 9 1O 11\n");
        assertEquals("t:1: field 13 is not a number: '1O'", onlyProblem(parsed).getMessage());
        assertEquals(List.of(), parsed.disks());
        parsed = DiskStatsParser.parse("t", "\n\nsda 8 0 1 2 3 4 5 6 7 8 9 10 11\n");
        ProcfsFormatException e = onlyProblem(parsed);
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("major number is not a number: 'sda'"), e.getMessage());
    }

    @Test
    void garbageLinesAreSkippedOneByOne() {
        DiskStats parsed = DiskStatsParser.parse(
                "t",
                "\u007fELF\u0002\u0001\n8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
                        + "\u00ff\u00fe 1 2\n-1 0 sdb 1 2 3 4 5 6 7 8 9 10 11\n");
        assertEquals(3, parsed.skipped().count());
        assertEquals(List.of("sda"), names(parsed.disks()));
    }
}
