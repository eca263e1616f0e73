package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.IrqLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * What the exporter watches, told to the operator: once at start, one line per NIC (its
 * receive IRQs and the CPUs serving them) and one per disk; after that, one line when the set
 * of NICs or of disks changes (hot-plug, a driver loaded late) and one when the CPUs serving a
 * NIC change (irqbalance; a move usually takes two lines, as the rescan that spans it sees
 * both CPUs). Few flows on a multi-queue NIC can make its CPUs differ at every rescan, so a
 * NIC's CPU lines come at most {@value #CPU_LINES_IN_A_ROW} in a row, then one a minute while
 * they keep changing, each telling where they are then. Lines are built only when something
 * changed; the messages are pure functions, tested as such. Driven by the sampler's thread and
 * clock; not thread-safe.
 */
final class InventoryLog {
    static final int CPU_LINES_IN_A_ROW = 3;
    static final long CPU_LINE_NANOS = 60_000_000_000L;

    private final Logger log;
    private boolean started;
    /** Per NIC: the CPUs last told, and the lines it may have now (one more each minute, up to the most in a row). */
    private final Map<String, Told> told = new HashMap<>();

    private record Told(Set<Integer> cpus, int lines, long sinceNanos) {}

    InventoryLog(Logger log) {
        this.log = log;
    }

    boolean started() {
        return started;
    }

    /** The inventory at start; the lines about changes follow it, none come before. */
    void start(Map<String, Set<String>> nicIrqs, Map<String, Set<Integer>> nicCpus, Set<String> disks, long nowNanos) {
        for (String line : inventory(nicIrqs, nicCpus, disks)) {
            log.info(line);
        }
        for (String nic : nicIrqs.keySet()) {
            told.put(nic, new Told(nicCpus.getOrDefault(nic, Set.of()), CPU_LINES_IN_A_ROW, nowNanos));
        }
        started = true;
    }

    /** A rescan of the disks found {@code after}, where the last found {@code before}. */
    void disks(Set<String> before, Set<String> after) {
        if (started && !before.equals(after)) {
            log.info(disksChanged(before, after));
        }
    }

    /** A rescan tied {@code after}'s NICs to these receive IRQs, where the last tied {@code before}'s. */
    void nics(Map<String, Set<String>> before, Map<String, Set<String>> after, long nowNanos) {
        if (!started || before.equals(after)) {
            return;
        }
        log.info(nicsChanged(before, after));
        told.keySet().retainAll(after.keySet());
        for (String nic : after.keySet()) {
            told.putIfAbsent(nic, new Told(Set.of(), CPU_LINES_IN_A_ROW, nowNanos));
        }
    }

    /** The CPUs serving {@code nic} after a rescan of /proc/interrupts (changed or not). */
    void cpus(String nic, Set<Integer> cpus, long nowNanos) {
        Told t = told.get(nic);
        if (!started || t == null || cpus.equals(t.cpus())) {
            return;
        }
        long minutes = (nowNanos - t.sinceNanos()) / CPU_LINE_NANOS;
        int lines = (int) Math.min(CPU_LINES_IN_A_ROW, t.lines() + minutes);
        if (lines == 0) {
            return; // none left this minute: a rescan after it tells where they are then
        }
        // a full allowance starts its minute now; a partial one keeps counting from where it was
        long since = lines == CPU_LINES_IN_A_ROW ? nowNanos : t.sinceNanos() + minutes * CPU_LINE_NANOS;
        log.info(cpusChanged(nic, t.cpus(), cpus));
        told.put(nic, new Told(Set.copyOf(cpus), lines - 1, since));
    }

    /** The start-up lines: each NIC in the scan's order, then each disk by name. */
    static List<String> inventory(
            Map<String, Set<String>> nicIrqs, Map<String, Set<Integer>> nicCpus, Set<String> disks) {
        List<String> lines = new ArrayList<>();
        if (nicIrqs.isEmpty()) {
            lines.add("watching no NIC: the NIC-IRQ CPU figure (si_cpu) is that of all CPUs");
        }
        nicIrqs.forEach((nic, irqs) ->
                lines.add("watching NIC " + nic + ": " + receive(irqs, nicCpus.getOrDefault(nic, Set.of()))));
        if (disks.isEmpty()) {
            lines.add("watching no disk");
        }
        for (String disk : new TreeSet<>(disks)) {
            lines.add("watching disk " + disk);
        }
        return lines;
    }

    /** One NIC's receive IRQs and CPUs, e.g. {@code receive IRQs 27-34 on CPUs 0-3,8}. */
    static String receive(Set<String> irqs, Set<Integer> cpus) {
        if (irqs.isEmpty()) {
            return irqs(irqs) + ", its CPU group is all CPUs";
        }
        if (cpus.isEmpty()) {
            return irqs(irqs) + ", no CPU seen serving " + (irqs.size() == 1 ? "it" : "them")
                    + " yet (its CPU group is all CPUs until one is)";
        }
        return irqs(irqs) + " on " + Ranges.cpus(cpus);
    }

    private static String irqs(Set<String> irqs) {
        if (irqs.isEmpty()) {
            return "no receive IRQ line of its own";
        }
        return (irqs.size() == 1 ? "receive IRQ " : "receive IRQs ") + irqList(irqs);
    }

    static String disksChanged(Set<String> before, Set<String> after) {
        List<String> changes = new ArrayList<>();
        for (String d : new TreeSet<>(after)) {
            if (!before.contains(d)) {
                changes.add(d + " added");
            }
        }
        for (String d : new TreeSet<>(before)) {
            if (!after.contains(d)) {
                changes.add(d + " removed");
            }
        }
        return "disks changed: " + String.join(", ", changes) + "; watching "
                + (after.isEmpty() ? "none" : String.join(", ", new TreeSet<>(after)));
    }

    static String nicsChanged(Map<String, Set<String>> before, Map<String, Set<String>> after) {
        List<String> changes = new ArrayList<>();
        after.forEach((nic, irqs) -> {
            Set<String> was = before.get(nic);
            if (was == null) {
                changes.add(nic + " added (" + irqs(irqs) + ")");
            } else if (!was.equals(irqs)) {
                changes.add(nic + "'s receive IRQs now " + (irqs.isEmpty() ? "none" : irqList(irqs)) + " (were "
                        + (was.isEmpty() ? "none" : irqList(was)) + ")");
            }
        });
        before.keySet().stream().filter(nic -> !after.containsKey(nic)).forEach(nic -> changes.add(nic + " removed"));
        return "NICs changed: " + String.join(", ", changes) + "; watching "
                + (after.isEmpty() ? "none" : String.join(", ", after.keySet()));
    }

    static String cpusChanged(String nic, Set<Integer> before, Set<Integer> after) {
        return "NIC " + nic + ": receive interrupts now on " + Ranges.cpus(after)
                + (before.isEmpty() ? " (none seen before)" : " (were on " + Ranges.cpus(before) + ")");
    }

    /** IRQ numbers as ranges ({@code 27-34,40}), then any other label (a -i pattern may match NMI lines). */
    static String irqList(Set<String> irqs) {
        List<Integer> numbers = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String irq : irqs) {
            if (IrqLine.isIrqNumber(irq)) {
                numbers.add(Integer.parseInt(irq));
            } else {
                others.add(irq);
            }
        }
        String ranges = Ranges.of(numbers);
        others.sort(null);
        if (others.isEmpty()) {
            return ranges;
        }
        return (ranges.isEmpty() ? "" : ranges + ",") + String.join(",", others);
    }
}
