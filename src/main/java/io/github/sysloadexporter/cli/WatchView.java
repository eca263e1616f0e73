package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.sysload.Candidate;
import io.github.sysloadexporter.sysload.CandidateId;
import io.github.sysloadexporter.sysload.Ranges;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.sysload.Seconds;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code watch}'s lines, in the manner of {@code vmstat 1}: one per sample, columns aligned
 * under a one-line header. Formats only: every figure is the sample's.
 *
 * <p>The header is written again when the columns change (a disk appears or goes, a value
 * outgrows its column) and, on a terminal, every screenful. Colour, only on a terminal: sysload
 * yellow from 80, red from 90 (the shipped alerts' levels), and what drives it in bold.
 */
final class WatchView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final String BOLD = "\033[1m";
    private static final String YELLOW = "\033[33m";
    private static final String RED = "\033[1;31m";
    private static final String RESET = "\033[0m";

    /** The columns before the disks'; {@code drives} comes after them. */
    private static final List<String> FIXED =
            List.of("time", "sysload", "1m", "5m", "15m", "cpu", "si_nic", "si_cpus", "si_busy", "si_irq");

    private static final int SYSLOAD = FIXED.indexOf("sysload");
    private static final int SI_NIC = FIXED.indexOf("si_nic");
    private static final int SI_CPUS = FIXED.indexOf("si_cpus");

    private final boolean colour;
    private final int screenRows;
    private final DateTimeFormatter time;

    private List<String> names = List.of();
    private int[] widths = new int[0];
    private int linesSinceHeader;

    /**
     * @param screenRows the terminal's height, to repeat the header every screenful; 0 when
     *                   output is not a terminal (the header then comes only with new columns)
     */
    WatchView(ZoneId zone, boolean colour, int screenRows) {
        this.colour = colour;
        this.screenRows = screenRows;
        this.time = TIME.withZone(zone);
    }

    /** The lines to print for this sample: the header first when due, then the sample's line. */
    List<String> lines(Sample s) {
        List<String> columns = new ArrayList<>(FIXED);
        columns.addAll(s.ioUtil().keySet());
        columns.add("drives");

        List<String> values = new ArrayList<>(columns.size());
        values.add(time.format(Instant.ofEpochMilli(s.wallMillis())));
        values.add(percent(s.sysload().now()));
        values.add(percent(s.sysload().one()));
        values.add(percent(s.sysload().five()));
        values.add(percent(s.sysload().fifteen()));
        values.add(percent(s.cpu().busy()));
        String nic = s.siCpu().nic();
        Set<Integer> cpus = s.nicIrqCpus().getOrDefault(nic, Collections.emptySortedSet());
        values.add(nic.isEmpty() ? "-" : nic);
        // No NIC, or none of its interrupts seen yet: the group is every CPU.
        values.add(cpus.isEmpty() ? "all" : Ranges.of(cpus));
        values.add(percent(s.siCpu().modes().busy()));
        values.add(percent(s.siCpu().modes().interruptShare()));
        s.ioUtil().values().forEach(u -> values.add(percent(u)));
        values.add(s.driving().map(WatchView::name).orElse("-"));

        boolean newColumns = !columns.equals(names);
        boolean header = newColumns || screenRows > 1 && linesSinceHeader >= screenRows - 1;
        if (newColumns) {
            names = List.copyOf(columns);
            widths = new int[columns.size()];
        }
        for (int i = 0; i < widths.length; i++) {
            int w = Math.max(Math.max(names.get(i).length(), values.get(i).length()), 5);
            if (w > widths[i]) {
                // A column grew: the old header no longer lines up (nothing follows the last one).
                header |= widths[i] > 0 && i < widths.length - 1;
                widths[i] = w;
            }
        }
        List<String> out = new ArrayList<>(2);
        if (header) {
            out.add(row(names, false, null));
            linesSinceHeader = 0;
        }
        out.add(row(values, colour, s));
        linesSinceHeader++;
        return out;
    }

    /** {@code cpu}, {@code si_cpu:eth0} or {@code io:nvme0n1}. */
    private static String name(Candidate c) {
        return name(CandidateId.of(c));
    }

    private static String name(CandidateId c) {
        return c.device().isEmpty() ? c.resource() : c.resource() + ":" + c.device();
    }

    /**
     * What {@code watch} prints when it stops: the seconds it saw per band of sysload (bands
     * with none left out), then what drove them and what was saturated, each candidate with
     * seconds in it.
     */
    static List<String> summary(Seconds s, double saturationThreshold) {
        List<String> out = new ArrayList<>();
        out.add(String.format(
                Locale.ROOT,
                "%.0f s seen, sysload %.1f on average",
                s.total(),
                s.total() > 0 ? s.sum() / s.total() : 0));
        double lower = 0;
        for (int band = 0; band < s.bands().size(); band++) {
            double upper = band < Seconds.BOUNDS.size() ? Seconds.BOUNDS.get(band) : 100;
            double seconds = s.bands().get(band);
            if (seconds > 0) {
                out.add(String.format(
                        Locale.ROOT,
                        "  %3.0f-%-3.0f %8.0f s %5.1f %%",
                        lower,
                        upper,
                        seconds,
                        100 * seconds / s.total()));
            }
            lower = upper;
        }
        out.add("driving: " + seconds(s.driving(), s.total()));
        out.add(String.format(Locale.ROOT, "at or above %.0f: ", saturationThreshold) + seconds(s.saturated(), 0));
        return out;
    }

    /** Each candidate with its seconds, those with none left out; nothing: {@code -}. */
    private static String seconds(Map<CandidateId, Double> byCandidate, double total) {
        StringBuilder line = new StringBuilder();
        double counted = 0;
        for (Map.Entry<CandidateId, Double> e : byCandidate.entrySet()) {
            if (e.getValue() > 0) {
                line.append(line.length() > 0 ? ", " : "")
                        .append(name(e.getKey()))
                        .append(String.format(Locale.ROOT, " %.0f s", e.getValue()));
                counted += e.getValue();
            }
        }
        // driving: the seconds when every candidate was 0 had no driver
        if (total - counted >= 0.5) {
            line.append(line.length() > 0 ? ", " : "")
                    .append(String.format(Locale.ROOT, "nothing %.0f s", total - counted));
        }
        return line.length() > 0 ? line.toString() : "-";
    }

    private String row(List<String> cells, boolean paint, Sample s) {
        StringBuilder line = new StringBuilder(120);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            if (i > 0) {
                line.append(' ');
            }
            String pad = " ".repeat(widths[i] - cell.length());
            boolean left = textColumn(i);
            String style = paint ? style(i, s) : null;
            if (!left) {
                line.append(pad);
            }
            line.append(style == null ? cell : style + cell + RESET);
            if (left && i < cells.size() - 1) {
                line.append(pad);
            }
        }
        return line.toString();
    }

    /** time, si_nic, si_cpus and drives are text; the rest are numbers, aligned right. */
    private boolean textColumn(int i) {
        return i == 0 || i == SI_NIC || i == SI_CPUS || i == names.size() - 1;
    }

    private String style(int i, Sample s) {
        if (i == SYSLOAD) {
            double v = s.sysload().now();
            return v >= 90 ? RED : v >= 80 ? YELLOW : null;
        }
        return i == names.size() - 1 ? BOLD : null;
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
