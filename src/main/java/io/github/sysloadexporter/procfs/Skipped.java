package io.github.sysloadexporter.procfs;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one read that could not be parsed and were left out; the rest of the file
 * counted. Only the first few problems are kept, so a file of garbage costs no more memory
 * than a good one.
 *
 * @param count every skipped line
 * @param first the first {@value #KEPT} of them, each naming its file and line
 */
public record Skipped(long count, List<ProcfsFormatException> first) {
    static final int KEPT = 4;
    public static final Skipped NONE = new Skipped(0, List.of());

    public Skipped {
        first = List.copyOf(first);
    }

    /** Collects skipped lines during one parse. */
    static final class Collector {
        private long count;
        private List<ProcfsFormatException> first;

        void add(ProcfsFormatException e) {
            count++;
            if (first == null) {
                first = new ArrayList<>(KEPT);
            }
            if (first.size() < KEPT) {
                first.add(e);
            }
        }

        Skipped result() {
            return count == 0 ? NONE : new Skipped(count, first);
        }
    }
}
