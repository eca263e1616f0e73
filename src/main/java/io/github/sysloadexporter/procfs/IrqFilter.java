package io.github.sysloadexporter.procfs;

import java.util.List;
import java.util.Set;

/**
 * Which /proc/interrupts lines keep their per-CPU counts. Every line is still parsed and
 * listed, but on a host of thousands of CPUs and IRQs the counts are most of the file, and
 * sysload needs them only for the few lines of the NICs it watches.
 */
@FunctionalInterface
public interface IrqFilter {
    /** Every line keeps its counts. */
    IrqFilter ALL = (irq, actions) -> true;

    /** No line keeps its counts: the labels and action names alone, to tie lines to NICs. */
    IrqFilter NONE = (irq, actions) -> false;

    /**
     * @param irq     the label before the colon
     * @param actions the action names of a numbered line; empty for a named one
     */
    boolean keepCounts(String irq, List<String> actions);

    /** The lines with these labels keep their counts. */
    static IrqFilter labels(Set<String> labels) {
        Set<String> copy = Set.copyOf(labels);
        return (irq, actions) -> copy.contains(irq);
    }
}
