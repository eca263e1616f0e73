package io.github.sysloadexporter.procfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The procfs files sysload reads, under a root that is {@code /proc} on the host and the
 * host's /proc mounted elsewhere in a container. Each call reads its file afresh.
 * Not thread-safe: its read buffers are reused (see {@link ByteText}).
 */
public final class ProcFs {
    private final Path root;
    private final Source stat;
    private final Source diskstats;
    private final Source interrupts;

    public ProcFs(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        this.stat = new Source(root.resolve("stat"), 8192);
        this.diskstats = new Source(root.resolve("diskstats"), 4096);
        this.interrupts = new Source(root.resolve("interrupts"), 16384);
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

    /**
     * One file with its name for messages and a buffer reused across reads, so a steady tick
     * allocates no copy of the file. This makes a ProcFs single-threaded: the sampler owns one.
     */
    private static final class Source {
        final String name;
        final Path file;
        final ByteText text;

        Source(Path path, int capacity) {
            this.name = path.toString();
            this.file = path;
            this.text = new ByteText(capacity);
        }

        ByteText read() throws IOException {
            text.readFrom(file);
            return text;
        }
    }
}
