package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.Counters;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which CPUs service a NIC's receive IRQs now: those whose count of them grew between two
 * /proc/interrupts snapshots. Pure functions; the sampler decides when to rescan.
 */
public final class CpuGroup {
    /** Below this many interrupts a CPU's growth is a stray (e.g. one taken while irqbalance moved the IRQ). */
    static final long MIN_GROWTH = 2;
    /** A CPU must take at least this percentage of the group's growth. */
    static final long MIN_SHARE_PERCENT = 1;

    private CpuGroup() {}

    /**
     * The CPUs whose count of the given IRQs grew from {@code older} to {@code newer}, by at
     * least {@value #MIN_GROWTH} and by at least {@value #MIN_SHARE_PERCENT}% of the total growth.
     * A CPU missing from either header (offline at either time) is skipped. Counts are the
     * kernel's 32-bit per-CPU counters: one that wrapped grew by the wrapped distance, one
     * that was reset did not grow. A line missing from either snapshot (registered meanwhile,
     * or skipped as unparsable) says nothing of this interval and is left out.
     *
     * @return the CPU ids, sorted; empty if nothing grew, in which case the caller keeps the
     *         group it had (an idle NIC says nothing about where its IRQs land)
     */
    public static SortedSet<Integer> busyCpus(Interrupts older, Interrupts newer, Collection<String> irqs) {
        Map<Integer, Integer> olderColumn = columns(older);
        Map<String, IrqLine> olderLines = new HashMap<>();
        for (IrqLine line : older.lines()) {
            olderLines.put(line.irq(), line);
        }
        Set<String> wanted = Set.copyOf(irqs);
        Map<Integer, Long> growth = new TreeMap<>();
        long total = 0;
        for (IrqLine line : newer.lines()) {
            if (!wanted.contains(line.irq())) {
                continue;
            }
            IrqLine before = olderLines.get(line.irq());
            if (before == null) {
                continue;
            }
            for (int col = 0; col < newer.cpuColumns() && col < line.columns(); col++) {
                int cpu = newer.cpuId(col);
                Integer beforeCol = olderColumn.get(cpu);
                if (beforeCol == null || beforeCol >= before.columns()) {
                    continue;
                }
                long delta = Counters.delta(before.count(beforeCol), line.count(col));
                if (delta > 0) {
                    growth.merge(cpu, delta, Long::sum);
                    total += delta;
                }
            }
        }
        SortedSet<Integer> group = new TreeSet<>();
        for (Map.Entry<Integer, Long> e : growth.entrySet()) {
            long g = e.getValue();
            // share compared in integers: g / total >= 1% <=> g * 100 >= total
            if (g >= MIN_GROWTH && g * 100 >= total * MIN_SHARE_PERCENT) {
                group.add(e.getKey());
            }
        }
        return Collections.unmodifiableSortedSet(group);
    }

    private static Map<Integer, Integer> columns(Interrupts interrupts) {
        Map<Integer, Integer> columns = new HashMap<>();
        for (int col = 0; col < interrupts.cpuColumns(); col++) {
            columns.put(interrupts.cpuId(col), col);
        }
        return columns;
    }
}
