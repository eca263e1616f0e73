package io.github.sysloadexporter.procfs;

import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Parses /proc/stat. Only the lines sysload uses are read: {@code cpu}, {@code cpuN},
 * {@code intr} (its first number) and {@code ctxt}; other lines are passed over.
 *
 * <p>A line that cannot be parsed is skipped and recorded in {@link ProcStat#skipped()}: a
 * bad {@code cpuN} line costs that CPU, a bad {@code intr} or {@code ctxt} line that rate.
 * Only the aggregate {@code cpu} line is indispensable: without it the file fails.
 */
public final class ProcStatParser {
    /** Fields a cpu line must have: user .. softirq, which every 2.6+ kernel prints. */
    private static final int MIN_CPU_FIELDS = 7;
    /** Fields CpuTimes holds; kernels that print more (none yet) get the rest ignored. */
    private static final int MAX_CPU_FIELDS = 10;
    /** Field names for error messages, so they are constants and cost nothing when fine. */
    private static final String[] FIELD_NAMES = {
        "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice", "extra field"
    };

    private ProcStatParser() {}

    /**
     * @param source names the file in error messages (e.g. {@code /proc/stat})
     * @throws ProcfsFormatException when the text has no usable aggregate {@code cpu} line
     *                               (empty, cut before it, garbage, or that line is bad)
     */
    public static ProcStat parse(String source, CharSequence text) throws ProcfsFormatException {
        Builder b = new Builder(source);
        TextCursor.forEachLine(source, text, b);
        return b.finish();
    }

    /** Takes /proc/stat a line at a time; {@link #finish()} gives the result. */
    static final class Builder implements TextCursor.LineSink<RuntimeException> {
        private final String source;
        private final long[] fields = new long[MAX_CPU_FIELDS];
        private final TreeMap<Integer, CpuTimes> perCpu = new TreeMap<>();
        private final Skipped.Collector skipped = new Skipped.Collector();
        private CpuTimes total;
        private ProcfsFormatException badTotal;
        private OptionalLong interrupts = OptionalLong.empty();
        private OptionalLong contextSwitches = OptionalLong.empty();
        private boolean seenLine;
        private int lines;

        Builder(String source) {
            this.source = source;
        }

        @Override
        public void line(TextCursor c) {
            lines = c.line;
            c.skipBlanks();
            if (c.atLineEnd()) {
                return;
            }
            seenLine = true;
            try {
                parseLine(c);
            } catch (ProcfsFormatException e) {
                skipped.add(e);
            }
        }

        private void parseLine(TextCursor c) throws ProcfsFormatException {
            if (c.lookingAt("cpu")) {
                c.advance(3);
                if (c.atLineEnd() || TextCursor.isBlank(c.peek())) {
                    if (total != null) {
                        throw c.error("second aggregate 'cpu' line");
                    }
                    try {
                        total = cpuTimes(c, -1);
                    } catch (ProcfsFormatException e) {
                        badTotal = e;
                        throw e;
                    }
                } else if (TextCursor.isDigit(c.peek())) {
                    long n = c.unsignedNumber("cpu number");
                    if (n < 0 || n > Integer.MAX_VALUE) {
                        throw c.error("cpu number out of range");
                    }
                    Integer cpu = (int) n;
                    if (perCpu.containsKey(cpu)) {
                        throw c.error("duplicate line for cpu" + n);
                    }
                    perCpu.put(cpu, cpuTimes(c, (int) n));
                }
                // "cpu" followed by anything else is no line we know: passed over like the others.
            } else if (c.lookingAtWord("intr")) {
                if (interrupts.isPresent()) {
                    throw c.error("second 'intr' line");
                }
                c.advance(4);
                c.skipBlanks();
                // The per-IRQ counts that follow can be thousands of numbers: not parsed, and
                // on a huge host the line may reach us cut short, which costs nothing here.
                interrupts = OptionalLong.of(c.unsignedNumber("intr total"));
                c.skipLine();
            } else if (c.lookingAtWord("ctxt")) {
                if (contextSwitches.isPresent()) {
                    throw c.error("second 'ctxt' line");
                }
                c.advance(4);
                c.skipBlanks();
                contextSwitches = OptionalLong.of(c.unsignedNumber("ctxt"));
            } else if (!isKeyword(c)) {
                // Not a line of another name (btime, softirq, a future one): garbage.
                throw c.error("not a /proc/stat line: " + c.quoteToken());
            }
        }

        /** Every /proc/stat line starts with a lower-case name: cpu, intr, btime, softirq, ... */
        private static boolean isKeyword(TextCursor c) {
            int end = c.tokenEnd(c.pos);
            for (int i = c.pos; i < end; i++) {
                char ch = c.charAt(i);
                if (!(ch >= 'a' && ch <= 'z' || ch == '_' || TextCursor.isDigit(ch))) {
                    return false;
                }
            }
            return end > c.pos;
        }

        /** Reads the numbers of a cpu line; {@code cpu} is -1 for the aggregate line. */
        private CpuTimes cpuTimes(TextCursor c, int cpu) throws ProcfsFormatException {
            if (c.cutShort) {
                throw c.error("cpu line longer than the read limit");
            }
            long[] f = fields;
            int count = 0;
            while (true) {
                c.skipBlanks();
                if (c.atLineEnd()) {
                    break;
                }
                long v = c.unsignedNumber(FIELD_NAMES[Math.min(count, MAX_CPU_FIELDS)]);
                if (count < MAX_CPU_FIELDS) {
                    f[count] = v;
                }
                count++;
            }
            if (count < MIN_CPU_FIELDS) {
                throw c.error((cpu < 0 ? "cpu" : "cpu" + cpu) + " line has " + count + " numbers, at least "
                        + MIN_CPU_FIELDS + " expected (user .. softirq)");
            }
            // Kernels before 2.6.11/2.6.24/2.6.33 stop before steal/guest/guest_nice: those are 0.
            for (int i = count; i < MAX_CPU_FIELDS; i++) {
                f[i] = 0;
            }
            return new CpuTimes(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]);
        }

        /** The lines skipped so far. */
        Skipped skipped() {
            return skipped.result();
        }

        /**
         * @throws ProcfsFormatException when there is no usable aggregate {@code cpu} line
         */
        ProcStat finish() throws ProcfsFormatException {
            if (!seenLine) {
                throw new ProcfsFormatException(source, 0, "empty file");
            }
            if (total == null) {
                throw badTotal != null
                        ? badTotal
                        : new ProcfsFormatException(
                                source, 0, "no aggregate 'cpu' line (file ends at line " + lines + ")");
            }
            return new ProcStat(total, perCpu, interrupts, contextSwitches, skipped.result());
        }
    }
}
