package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProcFs over a file of 100 MB, its memory measured after full collections: an integration
 * test because it writes that much to disk and asks the JVM for System.gc(), which a unit
 * test should neither wait for nor share a heap with.
 */
class ProcFsHugeFileIT {
    /**
     * A /proc/interrupts far larger than any buffer (a host of thousands of CPUs, or a runaway
     * file) is streamed: the buffer stops at MAX_LINE, the lines whose counts are not kept cost
     * nothing, and a line longer than the limit is skipped, not taken cut short.
     */
    @Test
    void aHugeFileIsStreamedThroughABoundedBuffer(@TempDir Path root) throws Exception {
        int cpus = 4096;
        StringBuilder header = new StringBuilder("     ");
        for (int c = 0; c < cpus; c++) {
            header.append(String.format("CPU%-8d", c));
        }
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < cpus; c++) {
            row.append(String.format(" %10d", c));
        }
        Path file = root.resolve("interrupts");
        long lines = 0;
        try (var out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            out.write(header.toString().stripTrailing());
            out.write('\n');
            // about 100 MB: 2200 lines of 45 KB
            for (int irq = 0; irq < 2200; irq++, lines++) {
                out.write(String.format("%4d:", irq));
                out.write(row.toString());
                out.write("  IR-PCI-MSI 524288-edge      eth0-TxRx-" + irq + "\n");
            }
            // one line of 2 MB: over the limit
            out.write("9999:");
            for (int i = 0; i < 200_000; i++) {
                out.write("          1");
            }
            out.write("  IR-PCI-MSI 1-edge      huge\n");
            out.write("LOC:" + row + "   Local timer interrupts\n");
        }
        assertTrue(Files.size(file) > 100_000_000L, "the file is " + Files.size(file));
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        ProcFs fs = new ProcFs(root);
        Interrupts in = fs.interrupts(IrqFilter.labels(Set.of("7", "LOC")));
        System.gc();
        long retained = rt.totalMemory() - rt.freeMemory() - before;
        assertEquals(root, fs.root()); // fs, and its buffer, still held
        assertEquals(cpus, in.cpuIds().length);
        assertEquals(lines + 1, in.lines().size());
        assertEquals(1, in.skipped().count());
        assertTrue(in.skipped().first().get(0).getMessage().contains("line longer than the read limit"));
        assertEquals(4095, in.lines().get(7).counts()[4095]);
        assertEquals(0, in.lines().get(8).counts().length);
        // Held after the parse: the buffer (at most MAX_LINE) and ~150 bytes a line. Reading
        // the file whole would hold 100 MB, keeping every line's counts 72 MB.
        assertTrue(retained < 8L << 20, "retained " + retained + " bytes");
    }
}
