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
    private InterruptsParser() {
    }

    /**
     * @param source names the file in error messages (e.g. {@code /proc/interrupts})
     * @throws ProcfsFormatException when the file is empty, its first line is not a header of
     *                               {@code CPUn} columns (or has none), a
     *                               line has no colon, a count is not a number, a numbered
     *                               line has fewer counts than the header has columns (it is
     *                               truncated), or any line has more
     */
    public static Interrupts parse(String source, CharSequence text) throws ProcfsFormatException {
        TextCursor c = new TextCursor(source, text);
        int[] cpuIds = header(c);
        int columns = cpuIds.length;
        List<IrqLine> lines = new ArrayList<>();
        while (c.nextLine()) {
            c.skipBlanks();
            if (c.atLineEnd()) {
                continue;
            }
            lines.add(line(c, columns));
        }
        return new Interrupts(cpuIds, lines);
    }

    private static int[] header(TextCursor c) throws ProcfsFormatException {
        boolean any = false;
        while (c.nextLine()) {
            c.skipBlanks();
            if (!c.atLineEnd()) {
                any = true;
                break;
            }
        }
        if (!any) {
            throw c.fileError("empty file");
        }
        int[] ids = new int[16];
        int n = 0;
        while (!c.atLineEnd()) {
            if (!c.lookingAt("CPU") || c.pos + 3 >= c.lineEnd
                    || !TextCursor.isDigit(c.charAt(c.pos + 3))) {
                throw c.error("expected a header of CPU columns (CPU0 CPU1 ...), found "
                        + c.quoteToken());
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

    private static IrqLine line(TextCursor c, int columns) throws ProcfsFormatException {
        int labelStart = c.pos;
        int colon = labelStart;
        while (colon < c.lineEnd && c.charAt(colon) != ':'
                && !TextCursor.isBlank(c.charAt(colon))) {
            colon++;
        }
        if (colon == c.lineEnd || c.charAt(colon) != ':' || colon == labelStart) {
            throw c.error("expected 'IRQ:' at the start of the line, found "
                    + c.quote(labelStart, c.tokenEnd(labelStart)));
        }
        boolean numbered = true;
        for (int i = labelStart; i < colon; i++) {
            numbered &= TextCursor.isDigit(c.charAt(i));
        }
        String irq = c.substring(labelStart, colon);
        c.pos = colon + 1;

        long[] counts = new long[columns];
        int k = 0;
        while (true) {
            c.skipBlanks();
            if (c.atLineEnd() || !TextCursor.isDigit(c.peek())) {
                break;
            }
            if (k == columns) {
                // More columns than the header: a CPU came online while the kernel printed.
                throw c.error("IRQ " + irq + " has more counts than the " + columns
                        + " CPU columns of the header");
            }
            counts[k++] = c.unsignedNumber("count");
        }
        if (k < columns && numbered) {
            throw c.error(c.atLineEnd()
                    ? "IRQ " + irq + " has " + k + " counts, the header has " + columns
                            + " CPU columns (truncated line?)"
                    : "IRQ " + irq + ": expected " + columns + " counts, found " + k
                            + " before " + c.quoteToken());
        }
        // Named lines may print fewer columns (ERR, MIS print one): the rest stay 0.
        String description = c.restTrimmed();
        List<String> actions = numbered ? actions(description) : List.of();
        return new IrqLine(irq, counts, description, actions);
    }

    /**
     * The action names in the description of a numbered IRQ: what follows the chip and the
     * hardware-IRQ/type tokens, split at ", ". Action names may contain blanks ("PCIe PME"),
     * so only those leading tokens are taken apart by blanks.
     */
    static List<String> actions(String d) {
        int i = skipToken(d, 0);          // the chip, e.g. "IR-PCI-MSI", or fused "IO-APIC-edge"
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
            i = skipBlanks(d, t);         // no hardware IRQ number, just "-name" (Xen)
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
