package io.github.sysloadexporter.procfs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses /proc/diskstats. A line is {@code major minor name} and then 11 numbers (kernels
 * before 4.18), 15 (4.18: discard statistics) or 17 (5.5: flush statistics); sysload only
 * needs field 13, the milliseconds spent doing I/O. Every field is still checked to be a
 * number, so a torn or foreign line is skipped, and reported, instead of yielding a wrong
 * io_ticks; the other disks of the file still count.
 */
public final class DiskStatsParser {
    /** Fields of the oldest format still printed (2.6.x to 4.17). */
    private static final int MIN_FIELDS = 14;
    /** 1-based position of io_ticks, counting major, minor and name. */
    private static final int IO_TICKS_FIELD = 13;
    /** "field N" for the messages, built once so a good line allocates no message text. */
    private static final String[] FIELD_LABELS = new String[24];

    static {
        for (int i = 0; i < FIELD_LABELS.length; i++) {
            FIELD_LABELS[i] = "field " + i;
        }
        FIELD_LABELS[FIELD_LABELS.length - 1] += " or later";
    }

    private DiskStatsParser() {}

    /**
     * @param source names the file in error messages (e.g. {@code /proc/diskstats})
     * @return the good lines, in file order (none for an empty file: a host, or a container's
     *         view of one, can have no block device), and the lines skipped: fewer than 14
     *         fields, a field that is not a number, a device number out of range
     */
    public static DiskStats parse(String source, CharSequence text) {
        Builder b = new Builder();
        TextCursor.forEachLine(source, text, b);
        return b.finish();
    }

    /** Takes /proc/diskstats a line at a time. */
    static final class Builder implements TextCursor.LineSink<RuntimeException> {
        private final List<DiskStat> disks = new ArrayList<>();
        private final Set<String> skippedNames = new HashSet<>();
        private final Skipped.Collector skipped = new Skipped.Collector();
        private String name;

        @Override
        public void line(TextCursor c) {
            c.skipBlanks();
            if (c.atLineEnd()) {
                return;
            }
            name = null;
            try {
                disks.add(parseLine(c));
            } catch (ProcfsFormatException e) {
                skipped.add(e);
                if (name != null) {
                    skippedNames.add(name);
                }
            }
        }

        private DiskStat parseLine(TextCursor c) throws ProcfsFormatException {
            if (c.cutShort) {
                throw c.error("line longer than the read limit");
            }
            long major = c.unsignedNumber("major number");
            c.skipBlanks();
            boolean hasMinor = !c.atLineEnd();
            long minor = hasMinor ? c.unsignedNumber("minor number") : 0;
            c.skipBlanks();
            if (c.atLineEnd()) {
                throw c.error("line ends before the device name: " + (hasMinor ? 2 : 1) + " of at least " + MIN_FIELDS
                        + " fields (truncated line?)");
            }
            // unsignedNumber gives values of 2^63 and above as negative longs
            if (major > Integer.MAX_VALUE || minor > Integer.MAX_VALUE || major < 0 || minor < 0) {
                throw c.error("device number out of range");
            }
            int nameStart = c.pos;
            name = c.token();
            int field = 3;
            long ioTicks = 0;
            while (true) {
                c.skipBlanks();
                if (c.atLineEnd()) {
                    break;
                }
                field++;
                long v = c.unsignedNumber(FIELD_LABELS[Math.min(field, FIELD_LABELS.length - 1)]);
                if (field == IO_TICKS_FIELD) {
                    ioTicks = v;
                }
            }
            if (field < MIN_FIELDS) {
                throw c.error(c.quote(nameStart, nameStart + name.length()) + ": " + field
                        + " fields, at least " + MIN_FIELDS
                        + " expected (truncated line?)");
            }
            return new DiskStat((int) major, (int) minor, name, ioTicks);
        }

        DiskStats finish() {
            return new DiskStats(disks, skippedNames, skipped.result());
        }
    }
}
