package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Which CPUs serve each watched NIC: those whose count of its receive lines in /proc/interrupts
 * grew between two readings ({@link CpuGroup}). Counts are read at the first two readings (so
 * the CPUs are known from the second sample on), after new lines were tied to a NIC, and then
 * every {@link #RESCAN_NANOS}, since irqbalance moves IRQs. A NIC that took no interrupt in an
 * interval keeps the CPUs last seen serving it. Driven by the sampler's thread and clock; not
 * thread-safe.
 */
final class NicCpuTracker {
    static final long RESCAN_NANOS = 10_000_000_000L;

    private final Logger log;
    private final InventoryLog inventory;
    /** Each NIC, in watch order, with the labels of its receive lines. */
    private Map<String, Set<String>> lines = Map.of();
    /** The lines whose counts are read: those of every NIC. */
    private Set<String> counted = Set.of();

    private final Map<String, Set<Integer>> cpus = new HashMap<>();
    private Interrupts last;
    private long lastNanos;
    private int reads;

    NicCpuTracker(Logger log, InventoryLog inventory) {
        this.log = log;
        this.inventory = inventory;
    }

    /**
     * The NICs' receive lines as tied anew. Lines new to the tracker had no counts kept: they
     * are counted at the next reading rather than a rescan later.
     */
    void tie(Map<String, Set<String>> found, long now) {
        Map<String, Set<String>> before = lines;
        lines = Collections.unmodifiableMap(new LinkedHashMap<>(found));
        inventory.nics(before, lines, now);
        Set<String> all = new HashSet<>();
        lines.values().forEach(all::addAll);
        if (!counted.containsAll(all)) {
            reads = 0;
        }
        counted = Set.copyOf(all);
        cpus.keySet().retainAll(lines.keySet());
    }

    /** Whether the counts are to be read now. */
    boolean due(long now) {
        return reads < 2 || now - lastNanos >= RESCAN_NANOS;
    }

    /** Which lines to keep the counts of. */
    IrqFilter counted() {
        return IrqFilter.labels(counted);
    }

    /** A reading of the counted lines: the CPUs that served each NIC since the last one. */
    void read(Interrupts irqs, long now) {
        if (last != null) {
            for (Map.Entry<String, Set<String>> nic : lines.entrySet()) {
                Set<Integer> serving = CpuGroup.busyCpus(last, irqs, nic.getValue());
                // Nothing grew (an idle NIC): keep the CPUs last seen serving it.
                if (!serving.isEmpty()) {
                    Set<Integer> before = cpus.put(nic.getKey(), Set.copyOf(serving));
                    if (!serving.equals(before)) {
                        log.debug("{}: receive interrupts now served by CPUs {}", nic.getKey(), serving);
                    }
                }
                inventory.cpus(nic.getKey(), cpus(nic.getKey()), now);
            }
        }
        last = irqs;
        lastNanos = now;
        reads++;
    }

    /** Each NIC, in watch order, with the labels of its receive lines. */
    Map<String, Set<String>> lines() {
        return lines;
    }

    /** The NICs the CPUs serving which are known: from two readings that saw their lines grow. */
    Map<String, Set<Integer>> cpus() {
        return Collections.unmodifiableMap(cpus);
    }

    /** The CPUs last seen serving {@code nic}; empty until two readings saw them. */
    Set<Integer> cpus(String nic) {
        return cpus.getOrDefault(nic, Set.of());
    }

    /** Each NIC with the CPUs serving it, for the calculator, in watch order. */
    List<NicGroup> groups() {
        List<NicGroup> groups = new ArrayList<>(lines.size());
        for (String nic : lines.keySet()) {
            groups.add(new NicGroup(nic, cpus(nic)));
        }
        return groups;
    }
}
