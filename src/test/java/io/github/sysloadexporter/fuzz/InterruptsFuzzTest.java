package io.github.sysloadexporter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.InterruptsParser;
import io.github.sysloadexporter.procfs.IrqLine;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the /proc/interrupts parser with arbitrary bytes. {@code mvn verify} runs it over the
 * seeds in src/test/resources/io/github/sysloadexporter/fuzz/InterruptsFuzzTestInputs/parse (the
 * fixtures' interrupts files, good and broken); src/test/fuzz/fuzz.sh fuzzes it.
 *
 * <p>The counts are not in the retention check: every line has one count per header column by
 * contract (named lines such as ERR print fewer, the rest are 0), so a wide header over many
 * short lines keeps 8 bytes x columns x lines, quadratic in the input by design.
 */
class InterruptsFuzzTest {
    // tokens for the fuzzer's mutations (fuzzing only)
    @DictionaryEntries({
        "CPU0",
        "  CPU1",
        " CPU",
        "ERR:",
        "MIS:",
        "LOC:",
        "  0:",
        "IR-PCI-MSI",
        "PCI-MSIX-0000:00:03.0",
        "1-edge",
        "-edge",
        "Level",
        "Edge",
        ", ",
        "2147483648",
        "18446744073709551615"
    })
    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        ProcText text = ProcText.of(input);
        Interrupts irqs;
        try {
            irqs = InterruptsParser.parse("/proc/interrupts", text);
        } catch (ProcfsFormatException e) {
            // the declared failure; a parser that skips bad lines instead is fine too
            text.assertWellFormed(e, "/proc/interrupts");
            return;
        } finally {
            text.assertLinearReads("InterruptsParser");
        }
        text.assertWellFormed(irqs.skipped(), "/proc/interrupts");
        int columns = irqs.cpuIds().length;
        assertTrue(columns > 0, "a header without CPU columns, yet no error");
        for (int id : irqs.cpuIds()) {
            assertTrue(id >= 0, () -> "negative CPU id " + id);
        }
        int lines = text.lines();
        // the header is a line of its own
        assertTrue(
                irqs.lines().size() + irqs.skipped().count() + 1 <= lines,
                () -> irqs.lines().size() + " IRQ lines, " + irqs.skipped().count() + " skipped and a header from "
                        + lines + " lines");
        // the Strings kept, each once (actions are cut from the description)
        Set<String> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (IrqLine l : irqs.lines()) {
            assertEquals(
                    columns,
                    l.counts().length,
                    () -> "IRQ " + l.irq() + ": counts for " + l.counts().length + " CPUs, the header has " + columns);
            assertNotNull(l.description());
            assertTrue(
                    !l.irq().isEmpty() && l.irq().chars().noneMatch(c -> c == ':' || c == ' ' || c == '\t'),
                    () -> "IRQ label '" + l.irq() + "'");
            assertTrue(l.description().indexOf('\n') < 0, "description spans lines");
            boolean numbered = l.irq().chars().allMatch(c -> c >= '0' && c <= '9');
            assertTrue(numbered || l.actions().isEmpty(), () -> "named IRQ " + l.irq() + " has actions " + l.actions());
            for (String a : l.actions()) {
                assertTrue(
                        !a.isEmpty() && a.length() <= l.description().length(),
                        () -> "action '" + a + "' of '" + l.description() + "'");
                kept.add(a);
            }
            kept.add(l.irq());
            kept.add(l.description());
        }
        long chars = kept.stream().mapToLong(String::length).sum();
        assertTrue(
                chars <= 3L * text.length() + 64,
                () -> chars + " chars of text kept from " + text.length() + " bytes of input");
    }
}
