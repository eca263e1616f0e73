package io.github.sysloadexporter.procfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The procfs files sysload reads, under a root that is {@code /proc} on the host and the
 * host's /proc mounted elsewhere in a container. Each call reads its file afresh.
 */
public final class ProcFs {
    private final Path root;

    public ProcFs(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() {
        return root;
    }

    /** {@code root/stat}. */
    public ProcStat stat() throws IOException, ProcfsFormatException {
        Path file = root.resolve("stat");
        return ProcStatParser.parse(file.toString(), read(file));
    }

    /** {@code root/diskstats}. */
    public List<DiskStat> diskStats() throws IOException, ProcfsFormatException {
        Path file = root.resolve("diskstats");
        return DiskStatsParser.parse(file.toString(), read(file));
    }

    /** {@code root/interrupts}. */
    public Interrupts interrupts() throws IOException, ProcfsFormatException {
        Path file = root.resolve("interrupts");
        return InterruptsParser.parse(file.toString(), read(file));
    }

    /**
     * Reads to end of file: procfs files report size 0, so nothing may trust the size.
     * Decoded as ISO-8859-1 because procfs text is ASCII, and that decoding maps every byte to
     * one char and never fails: a garbage byte reaches the parser, which names the line,
     * instead of a MalformedInputException that names nothing.
     */
    static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
