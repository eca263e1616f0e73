package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every broken file of fixtures/malformed through its parser: whether the file fails or a line
 * is skipped, and the problem reported, which names the file and the line. What each parser
 * keeps of such a file is in that parser's own test.
 */
class MalformedFixturesTest {
    /** How a parser took a file: failed, skipped N lines, or clean; and the (first) problem. */
    record Outcome(String how, String problem, int line) {}

    static Outcome parse(String file) {
        String text = Fixtures.text(file);
        Skipped skipped;
        try {
            skipped = switch (Path.of(file).getFileName().toString()) {
                case "stat" -> ProcStatParser.parse(file, text).skipped();
                case "diskstats" -> DiskStatsParser.parse(file, text).skipped();
                case "interrupts" -> InterruptsParser.parse(file, text).skipped();
                default -> throw new IllegalArgumentException("no parser for " + file);
            };
        } catch (ProcfsFormatException e) {
            assertEquals(file, e.source());
            return new Outcome("fails", e.getMessage(), e.line());
        }
        if (skipped.count() == 0) {
            return new Outcome("clean", "", 0);
        }
        ProcfsFormatException first = skipped.first().get(0);
        assertEquals(file, first.source());
        return new Outcome("skips " + skipped.count(), first.getMessage(), first.line());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            stat-truncated-cpu-line/stat              | skips 1 | 3  | cpu1 line has 4 numbers, at least 7 expected (user .. softirq)
            stat-non-numeric/stat                     | skips 1 | 2  | iowait is not a number: '5x2'
            stat-garbage/stat                         | fails   | 0  | no aggregate 'cpu' line (file ends at line 3)
            stat-empty/stat                           | fails   | 0  | empty file
            stat-cut-mid-file/stat                    | clean   | 0  |
            diskstats-empty/diskstats                 | clean   | 0  |
            diskstats-truncated-line/diskstats        | skips 1 | 5  | 'nvme1n1': 9 fields, at least 14 expected (truncated line?)
            interrupts-empty/interrupts               | fails   | 0  | empty file
            interrupts-no-header/interrupts           | fails   | 1  | expected a header of CPU columns (CPU0 CPU1 ...), found '24:'
            interrupts-numbered-line-cut/interrupts   | skips 1 | 15 | IRQ 38 has 1 counts, the header has 2 CPU columns (truncated line?)
            interrupts-numbered-line-short/interrupts | skips 1 | 36 | IRQ 105 has 30 counts, the header has 64 CPU columns (truncated line?)
            """)
    void eachSaysWhatIsWrongWithFileAndLine(String fixture, String how, int line, String problem) {
        String file = "malformed/" + fixture;
        String where = line == 0 ? file + ": " : file + ":" + line + ": ";
        assertEquals(new Outcome(how, problem == null ? "" : where + problem, line), parse(file));
    }
}
