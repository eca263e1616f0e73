package io.github.sysloadexporter.procfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses /proc/interrupts: a header of {@code CPUn} columns (online CPUs only), then one line
 * per interrupt: {@code label:}, one count per column, and a description.
 *
 * <p>For numbered IRQs the kernel prints the description as chip, hardware IRQ and flow type,
 * then the action (device) names; the layout changed over the years, and all of these occur:
 * <pre>
 *   IR-PCI-MSI 48758784-edge      mlx5_comp0@pci:0000:5e:00.0     (4.x - 6.x)
 *   PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0           (6.x per-device domains)
 *   IO-APIC   2-edge      timer
 *   PCI-MSI-edge      eth0-TxRx-0                                 (3.x: chip and type fused)
 *   IO-APIC-fasteoi   ehci_hcd:usb1, eth0                         (two devices share it)
 *   GICv3  27 Level     arch_timer                                (arm64)
 *   xen-pirq    -ioapic-level  ata_piix                           (Xen: no hardware IRQ)
 * </pre>
 */
public final class InterruptsParser {
    /** The counts of a line the filter did not keep. */
    private static final long[] NO_COUNTS = new long[0];

    private InterruptsParser() {}

    /** Every line keeps its counts. See {@link #parse(String, CharSequence, IrqFilter)}. */
    public static Interrupts parse(String source, CharSequence text) throws ProcfsFormatException {
        return parse(source, text, IrqFilter.ALL);
    }

    /**
     * @param source names the file in error messages (e.g. {@code /proc/interrupts})
     * @param keep   which lines keep their counts; the others are listed with none
     * @throws ProcfsFormatException when the file is empty or its first line is not a header
     *                               of {@code CPUn} columns: without it no count can be
     *                               placed. A bad line (no colon, a count that is not a
     *                               number, a numbered line with fewer counts than the header
     *                               has columns, any line with more) is skipped instead.
     */
    public static Interrupts parse(String source, CharSequence text, IrqFilter keep) throws ProcfsFormatException {
        Builder b = new Builder(source, keep);
        TextCursor.forEachLine(source, text, b);
        return b.finish();
    }

    /** Takes /proc/interrupts a line at a time; the first non-blank line is the header. */
    static final class Builder implements TextCursor.LineSink<ProcfsFormatException> {
        private final String source;
        private final IrqFilter keep;
        private final List<IrqLine> lines = new ArrayList<>();
        private final Skipped.Collector skipped = new Skipped.Collector();
        private int[] cpuIds;
        private long[] scratch;

        Builder(String source, IrqFilter keep) {
            this.source = source;
            this.keep = keep;
        }

        @Override
        public void line(TextCursor c) throws ProcfsFormatException {
            c.skipBlanks();
            if (c.atLineEnd()) {
                return;
            }
            if (cpuIds == null) {
                if (c.cutShort) {
                    throw c.error("header longer than the read limit");
                }
                cpuIds = header(c);
                scratch = new long[cpuIds.length];
                return;
            }
            try {
                lines.add(parseLine(c, scratch, keep));
            } catch (ProcfsFormatException e) {
                skipped.add(e);
            }
        }

        Interrupts finish() throws ProcfsFormatException {
            if (cpuIds == null) {
                throw new ProcfsFormatException(source, 0, "empty file");
            }
            return new Interrupts(cpuIds, lines, skipped.result());
        }
    }

    private static int[] header(TextCursor c) throws ProcfsFormatException {
        int[] ids = new int[16];
        int n = 0;
        while (!c.atLineEnd()) {
            if (!c.lookingAt("CPU") || c.pos + 3 >= c.lineEnd || !TextCursor.isDigit(c.charAt(c.pos + 3))) {
                throw c.error("expected a header of CPU columns (CPU0 CPU1 ...), found " + c.quoteToken());
            }
            c.advance(3);
            long id = c.unsignedNumber("CPU number");
            if (id < 0 || id > Integer.MAX_VALUE) {
                throw c.error("CPU number out of range");
            }
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = (int) id;
            c.skipBlanks();
        }
        return Arrays.copyOf(ids, n);
    }

    private static IrqLine parseLine(TextCursor c, long[] counts, IrqFilter keep) throws ProcfsFormatException {
        int columns = counts.length;
        int labelStart = c.pos;
        int colon = labelStart;
        while (colon < c.lineEnd && c.charAt(colon) != ':' && !TextCursor.isBlank(c.charAt(colon))) {
            colon++;
        }
        if (colon == c.lineEnd || c.charAt(colon) != ':' || colon == labelStart) {
            throw c.error(
                    "expected 'IRQ:' at the start of the line, found " + c.quote(labelStart, c.tokenEnd(labelStart)));
        }
        if (c.cutShort) {
            throw c.error("line longer than the read limit");
        }
        boolean numbered = true;
        for (int i = labelStart; i < colon; i++) {
            numbered &= TextCursor.isDigit(c.charAt(i));
        }
        String irq = c.substring(labelStart, colon);
        c.pos = colon + 1;

        int k = 0;
        while (true) {
            c.skipBlanks();
            if (c.atLineEnd() || !TextCursor.isDigit(c.peek())) {
                break;
            }
            if (k == columns) {
                // More columns than the header: a CPU came online while the kernel printed.
                throw c.error("IRQ " + c.printable(labelStart, colon) + " has more counts than the " + columns
                        + " CPU columns of the header");
            }
            counts[k++] = c.unsignedNumber("count");
        }
        if (k < columns && numbered) {
            throw c.error(
                    c.atLineEnd()
                            ? "IRQ " + c.printable(labelStart, colon) + " has " + k + " counts, the header has "
                                    + columns + " CPU columns (truncated line?)"
                            : "IRQ " + c.printable(labelStart, colon) + ": expected " + columns + " counts, found " + k
                                    + " before " + c.quoteToken());
        }
        // Named lines may print fewer columns (x86's ERR and MIS, arm64's Err print one): the
        // rest are 0.
        Arrays.fill(counts, k, columns, 0);
        String description = c.restTrimmed();
        List<String> actions = numbered ? actions(description) : List.of();
        long[] kept = keep.keepCounts(irq, actions) ? counts : NO_COUNTS; // IrqLine copies
        return new IrqLine(irq, kept, description, actions);
    }

    /**
     * The action names in the description of a numbered IRQ: what follows the chip and the
     * hardware-IRQ/type tokens, split at ", ". Action names may contain blanks ("PCIe PME"),
     * so only those leading tokens are taken apart by blanks.
     */
    static List<String> actions(String d) {
        int i = chipEnd(d); // the chip, e.g. "IR-PCI-MSI", or fused "IO-APIC-edge"
        i = skipBlanks(d, i);
        int t = skipToken(d, i);
        if (isHwirq(d, i, t)) {
            // "48758784-edge", or arm's "27" followed by "Level"/"Edge" and maybe "-name"
            i = skipBlanks(d, t);
            t = skipToken(d, i);
            if (t - i == 5 && d.startsWith("Level", i) || t - i == 4 && d.startsWith("Edge", i)) {
                i = skipBlanks(d, t);
                t = skipToken(d, i);
            }
            if (i < t && d.charAt(i) == '-') {
                i = skipBlanks(d, t);
            }
        } else if (i < t && d.charAt(i) == '-') {
            i = skipBlanks(d, t); // no hardware IRQ number, just "-name" (Xen)
        }
        // else: 3.x "PCI-MSI-edge  eth0": the action starts right after the fused chip
        if (i >= d.length()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        while (i < d.length()) {
            int comma = d.indexOf(", ", i);
            int end = comma < 0 ? d.length() : comma;
            String name = d.substring(i, end).trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
            i = comma < 0 ? d.length() : comma + 2;
        }
        return names;
    }

    /** Words a chip name may have: "Hyper-V PCIe MSI" (Hyper-V's PCI MSI), "OPAL EVT" (powerpc). */
    private static final int MAX_CHIP_WORDS = 3;

    /**
     * Where the chip name ends: before the first of the next few tokens that is a hardware IRQ
     * ("27", "48758784-edge") or a "-name" (Xen), since some chip names have blanks; after
     * the first token when there is none (3.x fused "PCI-MSI-edge", then the action).
     */
    private static int chipEnd(String d) {
        int first = skipToken(d, 0);
        int end = first;
        for (int words = 1; words <= MAX_CHIP_WORDS; words++) {
            int i = skipBlanks(d, end);
            int t = skipToken(d, i);
            if (i == t) {
                break;
            }
            if (isHwirq(d, i, t) || d.charAt(i) == '-') {
                return end;
            }
            end = t;
        }
        return first;
    }

    /** digits, then nothing or "-type": the hardware IRQ number and flow type. */
    private static boolean isHwirq(String d, int from, int to) {
        int i = from;
        while (i < to && TextCursor.isDigit(d.charAt(i))) {
            i++;
        }
        return i > from && (i == to || (d.charAt(i) == '-' && i + 1 < to));
    }

    private static int skipToken(String d, int i) {
        while (i < d.length() && !TextCursor.isBlank(d.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipBlanks(String d, int i) {
        while (i < d.length() && TextCursor.isBlank(d.charAt(i))) {
            i++;
        }
        return i;
    }
}
