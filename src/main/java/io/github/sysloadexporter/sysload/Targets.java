package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.Interrupts;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * What the sampler watches: found in sysfs and /proc/interrupts, or given on the command
 * line. Kept behind this interface so the sampler's schedule can be tested on its own.
 */
public interface Targets {
    /** The watched NICs, each with the labels of its receive-IRQ lines in {@code interrupts}. */
    Map<String, Set<String>> nicReceiveIrqs(Interrupts interrupts) throws IOException;

    /** The watched disks, by their /proc/diskstats name. */
    Set<String> disks() throws IOException;

    /**
     * The CPUs whose count of the given IRQ lines grew from {@code older} to {@code newer},
     * strays left out; empty when nothing grew.
     */
    Set<Integer> servingCpus(Interrupts older, Interrupts newer, Set<String> irqs);
}
