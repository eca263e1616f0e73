package io.github.sysloadexporter.procfs;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The exporter's own process as /proc shows it, for the process_* metrics every exporter
 * has: CPU time and memory from {@code self/stat} (its resident pages times the page size,
 * which {@code self/auxv} gives once; where it does not, memory from {@code self/status}),
 * descriptors from {@code self/fd} and {@code self/limits}. One short line per scrape rather
 * than two files: status is some fifty lines the kernel formats for the two numbers of memory.
 * Read straight from procfs rather than through java.lang.management, whose platform beans load
 * some sixty classes and a reflection proxy for four numbers. Buffers are reused: not
 * thread-safe.
 */
public final class SelfProcess {
    /**
     * Ticks per second of the times in /proc/PID/stat: USER_HZ, which the kernel fixes at 100
     * for user space on every architecture Java runs on (sysconf(_SC_CLK_TCK) says the same).
     */
    static final int USER_HZ = 100;

    private final ProcFile stat;
    /** Null where the page size is known: stat then gives the memory, and status is never read. */
    private final ProcFile status;

    private final File fd;
    private final Path limits;
    private final boolean fdSizeIsCount;
    private final long pageSize;

    /** What one read gives; -1 where /proc did not say. */
    public record Usage(double cpuSeconds, long residentBytes, long virtualBytes, long openFds) {}

    /** This process, as /proc/self shows it. */
    public static SelfProcess current() {
        return new SelfProcess(Path.of("/proc/self"), true);
    }

    /** @param self a copy of a process's directory (tests); descriptors are counted by listing fd */
    public SelfProcess(Path self) {
        this(self, false);
    }

    /**
     * @param onProcfs self is on procfs, where Linux 6.2 and later give the number of open
     *                 descriptors as the size of the fd directory, so that it need not be listed
     *                 at each scrape (earlier kernels say 0 there, and it is listed)
     */
    private SelfProcess(Path self, boolean onProcfs) {
        this.stat = new ProcFile(self.resolve("stat"), 1024);
        this.pageSize = pageSize(self.resolve("auxv"));
        this.status = pageSize > 0 ? null : new ProcFile(self.resolve("status"), 2048);
        this.fd = self.resolve("fd").toFile();
        this.limits = self.resolve("limits");
        this.fdSizeIsCount = onProcfs;
    }

    public Usage read() throws IOException, ProcfsFormatException {
        StatFields f = statFields(stat.name, stat.read());
        if (status == null) {
            return new Usage(f.cpuSeconds(), f.residentPages() * pageSize, f.virtualBytes(), openFds());
        }
        SelfStatus mem = SelfStatus.parse(status.name, status.read());
        return new Usage(f.cpuSeconds(), mem.residentBytes(), mem.virtualBytes(), openFds());
    }

    /** The auxiliary vector's AT_PAGESZ; -1 if the file cannot be read or lacks it. */
    private static long pageSize(Path auxv) {
        try {
            return pageSize(
                    Files.readAllBytes(auxv),
                    "64".equals(System.getProperty("sun.arch.data.model")),
                    ByteOrder.nativeOrder());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** AT_PAGESZ, the key of the page size in the auxiliary vector (elf.h). */
    static final long AT_PAGESZ = 6;

    /**
     * The page size in an auxiliary vector: pairs of machine words, key then value, in the
     * process's byte order, ended by a pair whose key is 0 (AT_NULL); -1 if it has none.
     */
    static long pageSize(byte[] auxv, boolean wide, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(auxv).order(order);
        int word = wide ? 8 : 4;
        while (b.remaining() >= 2 * word) {
            long key = wide ? b.getLong() : Integer.toUnsignedLong(b.getInt());
            long value = wide ? b.getLong() : Integer.toUnsignedLong(b.getInt());
            if (key == 0) {
                break;
            }
            if (key == AT_PAGESZ) {
                return value > 0 ? value : -1;
            }
        }
        return -1;
    }

    private long openFds() throws IOException {
        if (fdSizeIsCount) {
            // java.io's one stat call rather than NIO's attribute classes: read each scrape.
            long size = fd.length();
            if (size > 0) {
                return size;
            }
        }
        long open = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fd.toPath())) {
            for (Path ignored : entries) {
                open++;
            }
        }
        return open;
    }

    /** The soft limit on open files ("Max open files" of self/limits); -1 if unlimited or absent. */
    public long maxFds() throws IOException {
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return f.length > 0 && !f[0].equals("unlimited") ? Long.parseLong(f[0]) : -1;
            }
        }
        return -1;
    }

    /**
     * The figures of a /proc/PID/stat line.
     *
     * @param cpuSeconds    utime + stime (fields 14 and 15), in seconds
     * @param virtualBytes  vsize (field 23)
     * @param residentPages rss (field 24)
     */
    record StatFields(double cpuSeconds, long virtualBytes, long residentPages) {}

    /**
     * The fields of a /proc/PID/stat line. The command name in parentheses may hold spaces and
     * parentheses itself, so fields are counted from the last ')'.
     */
    static StatFields statFields(String source, CharSequence line) throws ProcfsFormatException {
        int close = -1;
        for (int i = line.length() - 1; i >= 0; i--) {
            if (line.charAt(i) == ')') {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw new ProcfsFormatException(source, 1, "no ')' closing the command name");
        }
        TextCursor c = new TextCursor(source, line);
        c.nextLine();
        c.pos = close + 1;
        // Fields after the name: 3 state, 4 ppid, ... 14 utime, 15 stime, ... 23 vsize, 24 rss.
        skipFields(c, 3, 14);
        long utime = field(c, "utime");
        long stime = field(c, "stime");
        skipFields(c, 16, 23);
        long vsize = field(c, "vsize");
        long rss = field(c, "rss");
        if (rss > Long.MAX_VALUE >> 20) {
            throw c.error("rss is too large for a count of pages");
        }
        return new StatFields((double) (utime + stime) / USER_HZ, vsize, rss);
    }

    private static void skipFields(TextCursor c, int from, int to) {
        for (int field = from; field < to; field++) {
            c.skipBlanks();
            c.pos = c.tokenEnd(c.pos);
        }
    }

    private static long field(TextCursor c, String name) throws ProcfsFormatException {
        c.skipBlanks();
        return c.unsignedNumber(name);
    }
}
