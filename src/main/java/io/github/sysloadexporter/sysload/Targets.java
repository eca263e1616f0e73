package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * What the sampler watches: found in sysfs and /proc/interrupts, or given on the command
 * line. Kept behind this interface so the sampler's schedule can be tested on its own.
 */
public interface Targets {
    /**
     * The NICs to watch, found afresh.
     *
     * @throws IOException when sysfs cannot be scanned; the sampler keeps the last ones
     */
    NicWatch nics() throws IOException;

    /**
     * The watched disks by their /proc/diskstats name, found afresh.
     *
     * @throws IOException when sysfs cannot be scanned; the sampler keeps the last ones
     */
    Set<String> disks() throws IOException;

    /**
     * The CPUs whose count of the given IRQ lines grew from {@code older} to {@code newer},
     * strays left out; empty when nothing grew.
     */
    Set<Integer> servingCpus(Interrupts older, Interrupts newer, Set<String> irqs);

    /**
     * The NICs of one scan. As an {@link IrqFilter} it keeps the counts of every line that
     * may be theirs, so that {@link #receiveIrqs} can be given a cheap read.
     */
    interface NicWatch extends IrqFilter {
        NicWatch NONE = new NicWatch() {
            @Override
            public boolean keepCounts(String irq, java.util.List<String> actions) {
                return false;
            }

            @Override
            public Map<String, Set<String>> receiveIrqs(Interrupts interrupts) {
                return Map.of();
            }
        };

        /** Each NIC with the labels of its receive-IRQ lines in {@code interrupts}. */
        Map<String, Set<String>> receiveIrqs(Interrupts interrupts);
    }
}
