package io.github.sysloadexporter.procfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The procfs files sysload reads, under a root that is {@code /proc} on the host and the
 * host's /proc mounted elsewhere in a container. Each call reads its file afresh (see
 * {@link ProcFile} for how). Not thread-safe: its read buffers are reused.
 */
public final class ProcFs {
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
    public ProcStat stat() throws IOException, ProcfsFormatException {
        return ProcStatParser.parse(stat.name, stat.read());
    }

    /** {@code root/diskstats}. */
    public List<DiskStat> diskStats() throws IOException, ProcfsFormatException {
        return DiskStatsParser.parse(diskstats.name, diskstats.read());
    }

    /** {@code root/interrupts}. */
    public Interrupts interrupts() throws IOException, ProcfsFormatException {
        return InterruptsParser.parse(interrupts.name, interrupts.read());
    }
}
