package io.github.sysloadexporter.procfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The procfs files sysload reads, under a root that is {@code /proc} on the host and the
 * host's /proc mounted elsewhere in a container. Each call reads its file afresh (see
 * {@link ProcFile} for how), streaming it line by line, so that a file of any size costs at
 * most {@link #MAX_LINE} bytes of buffer. Not thread-safe: its read buffers are reused.
 */
public final class ProcFs implements ProcSource {
    /**
     * Longest line kept whole. The longest real ones: /proc/interrupts at 8192 CPUs (11 bytes
     * a column, 90 KB) and the intr line of /proc/stat (a count per IRQ, of which only the
     * first number is read). A longer line arrives cut short and is skipped where that matters.
     */
    public static final int MAX_LINE = 1 << 20;

    private final Path root;
    private final ProcFile stat;
    private final ProcFile diskstats;
    private final ProcFile interrupts;

    public ProcFs(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        this.stat = new ProcFile(root.resolve("stat"), 8192);
        this.diskstats = new ProcFile(root.resolve("diskstats"), 4096);
        this.interrupts = new ProcFile(root.resolve("interrupts"), 16384);
    }

    public Path root() {
        return root;
    }

    /** {@code root/stat}. */
    @Override
    public ProcStat stat() throws IOException, ProcfsFormatException {
        ProcStatParser.Builder b = new ProcStatParser.Builder(stat.name);
        stat.forEachLine(new TextCursor(stat.name), b, MAX_LINE);
        return b.finish();
    }

    /** {@code root/diskstats}; a bad line is skipped, so only reading it can fail. */
    @Override
    public DiskStats diskStats() throws IOException {
        DiskStatsParser.Builder b = new DiskStatsParser.Builder();
        diskstats.forEachLine(new TextCursor(diskstats.name), b, MAX_LINE);
        return b.finish();
    }

    /** {@code root/interrupts}, every line with its counts. */
    public Interrupts interrupts() throws IOException, ProcfsFormatException {
        return interrupts(IrqFilter.ALL);
    }

    /** {@code root/interrupts}, counts kept for the lines {@code keep} selects. */
    @Override
    public Interrupts interrupts(IrqFilter keep) throws IOException, ProcfsFormatException {
        InterruptsParser.Builder b = new InterruptsParser.Builder(interrupts.name, keep);
        interrupts.forEachLine(new TextCursor(interrupts.name), b, MAX_LINE);
        return b.finish();
    }
}
