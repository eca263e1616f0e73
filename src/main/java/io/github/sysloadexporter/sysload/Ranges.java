package io.github.sysloadexporter.sysload;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** Sets of CPU or IRQ numbers written as the kernel writes a cpulist: {@code 0-3,8}. */
public final class Ranges {
    private Ranges() {}

    /** {@code CPU 3} or {@code CPUs 0-3,8}. */
    public static String cpus(Set<Integer> cpus) {
        return (cpus.size() == 1 ? "CPU " : "CPUs ") + of(cpus);
    }

    /** Sorted, runs of consecutive numbers as {@code a-b}: 0,1,2,3,8 is {@code 0-3,8}; empty for none. */
    public static String of(Collection<Integer> numbers) {
        StringBuilder out = new StringBuilder();
        Integer start = null;
        Integer last = null;
        for (int n : new TreeSet<>(numbers)) {
            if (last != null && n == last + 1) {
                last = n;
                continue;
            }
            append(out, start, last);
            start = n;
            last = n;
        }
        append(out, start, last);
        return out.toString();
    }

    private static void append(StringBuilder out, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (out.length() > 0) {
            out.append(',');
        }
        out.append(start);
        if (!end.equals(start)) {
            out.append('-').append(end);
        }
    }
}
