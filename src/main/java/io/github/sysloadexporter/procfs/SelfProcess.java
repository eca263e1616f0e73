package io.github.sysloadexporter.procfs;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The exporter's own process as /proc shows it, for the process_* metrics every exporter
 * has: CPU time from {@code self/stat}, memory from {@code self/status}, descriptors from
 * {@code self/fd} and {@code self/limits}. Read straight from procfs rather than through
 * java.lang.management, whose platform beans load some sixty classes and a reflection proxy
 * for four numbers. Buffers are reused: not thread-safe.
 */
public final class SelfProcess {
    /**
     * Ticks per second of the times in /proc/PID/stat: USER_HZ, which the kernel fixes at 100
     * for user space on every architecture Java runs on (sysconf(_SC_CLK_TCK) says the same).
     */
    static final int USER_HZ = 100;

    private final ProcFile stat;
    private final ProcFile status;
    private final File fd;
    private final Path limits;
    private final boolean fdSizeIsCount;

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
        this.status = new ProcFile(self.resolve("status"), 2048);
        this.fd = self.resolve("fd").toFile();
        this.limits = self.resolve("limits");
        this.fdSizeIsCount = onProcfs;
    }

    public Usage read() throws IOException, ProcfsFormatException {
        double cpu = cpuSeconds(stat.name, stat.read());
        SelfStatus mem = SelfStatus.parse(status.name, status.read());
        return new Usage(cpu, mem.residentBytes(), mem.virtualBytes(), openFds());
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
     * utime + stime of a /proc/PID/stat line, in seconds. The command name in parentheses may
     * hold spaces and parentheses itself, so fields are counted from the last ')'.
     */
    static double cpuSeconds(String source, CharSequence line) throws ProcfsFormatException {
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
        // Fields after the name: 3 state, 4 ppid, ... 14 utime, 15 stime.
        for (int field = 3; field < 14; field++) {
            c.skipBlanks();
            c.pos = c.tokenEnd(c.pos);
        }
        c.skipBlanks();
        long utime = c.unsignedNumber("utime");
        c.skipBlanks();
        long stime = c.unsignedNumber("stime");
        return (double) (utime + stime) / USER_HZ;
    }
}
