package io.github.sysloadexporter.procfs;

import java.util.TreeMap;

/**
 * Parses /proc/stat. Only the lines sysload uses are read: {@code cpu}, {@code cpuN},
 * {@code intr} (its first number) and {@code ctxt}; the others are skipped.
 */
public final class ProcStatParser {
    /** Fields a cpu line must have: user .. softirq, which every 2.6+ kernel prints. */
    private static final int MIN_CPU_FIELDS = 7;
    /** Fields CpuTimes holds; kernels that print more (none yet) get the rest ignored. */
    private static final int MAX_CPU_FIELDS = 10;
    /** Field names for error messages, so they are constants and cost nothing when fine. */
    private static final String[] FIELD_NAMES = {
        "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest",
        "guest_nice", "extra field"
    };

    private ProcStatParser() {
    }

    /**
     * @param source names the file in error messages (e.g. {@code /proc/stat})
     * @throws ProcfsFormatException when the text is empty, does not start with the aggregate
     *                               {@code cpu} line, lacks {@code intr} or {@code ctxt}, has a
     *                               cpu line with fewer than 7 numbers, a duplicate cpu line, or
     *                               a field that is not an unsigned 64-bit number
     */
    public static ProcStat parse(String source, CharSequence text) throws ProcfsFormatException {
        TextCursor c = new TextCursor(source, text);
        long[] fields = new long[MAX_CPU_FIELDS];
        CpuTimes total = null;
        TreeMap<Integer, CpuTimes> perCpu = new TreeMap<>();
        long interrupts = 0;
        long contextSwitches = 0;
        boolean haveIntr = false;
        boolean haveCtxt = false;
        boolean seenLine = false;

        while (c.nextLine()) {
            c.skipBlanks();
            if (c.atLineEnd()) {
                continue;
            }
            if (!seenLine) {
                seenLine = true;
                // Every kernel prints the aggregate line first. Checking that here gives a
                // line number when the file is something else entirely (garbage, wrong file).
                if (!c.lookingAtWord("cpu")) {
                    throw c.error("expected the aggregate 'cpu' line first, found "
                            + c.quoteToken());
                }
            }
            if (c.lookingAt("cpu")) {
                c.advance(3);
                if (c.atLineEnd() || TextCursor.isBlank(c.peek())) {
                    if (total != null) {
                        throw c.error("second aggregate 'cpu' line");
                    }
                    total = cpuTimes(c, fields, -1);
                } else if (TextCursor.isDigit(c.peek())) {
                    long n = c.unsignedNumber("cpu number");
                    if (n < 0 || n > Integer.MAX_VALUE) {
                        throw c.error("cpu number out of range");
                    }
                    Integer cpu = (int) n;
                    if (perCpu.containsKey(cpu)) {
                        throw c.error("duplicate line for cpu" + n);
                    }
                    perCpu.put(cpu, cpuTimes(c, fields, (int) n));
                }
                // "cpu" followed by anything else is no line we know: skipped like the others.
            } else if (c.lookingAtWord("intr")) {
                if (haveIntr) {
                    throw c.error("second 'intr' line");
                }
                c.advance(4);
                c.skipBlanks();
                interrupts = c.unsignedNumber("intr total");
                // The per-IRQ counts that follow can be thousands of numbers: not parsed.
                c.skipLine();
                haveIntr = true;
            } else if (c.lookingAtWord("ctxt")) {
                if (haveCtxt) {
                    throw c.error("second 'ctxt' line");
                }
                c.advance(4);
                c.skipBlanks();
                contextSwitches = c.unsignedNumber("ctxt");
                haveCtxt = true;
            }
        }
        if (!seenLine) {
            throw c.fileError("empty file");
        }
        if (!haveIntr) {
            throw c.fileError("no 'intr' line (file ends at line " + c.line + ")");
        }
        if (!haveCtxt) {
            throw c.fileError("no 'ctxt' line (file ends at line " + c.line + ")");
        }
        return new ProcStat(total, perCpu, interrupts, contextSwitches);
    }

    /** Reads the numbers of a cpu line; {@code cpu} is -1 for the aggregate line. */
    private static CpuTimes cpuTimes(TextCursor c, long[] f, int cpu)
            throws ProcfsFormatException {
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
            throw c.error((cpu < 0 ? "cpu" : "cpu" + cpu) + " line has " + count
                    + " numbers, at least " + MIN_CPU_FIELDS + " expected (user .. softirq)");
        }
        // Kernels before 2.6.11/2.6.24/2.6.33 stop before steal/guest/guest_nice: those are 0.
        for (int i = count; i < MAX_CPU_FIELDS; i++) {
            f[i] = 0;
        }
        return new CpuTimes(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]);
    }
}
