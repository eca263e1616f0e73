package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.Interrupts;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * What the sampler watches, asked of detection in plain values: which NICs and which lines of
 * /proc/interrupts are their receive lines, and which disks. Detection (sysfs, the drivers'
 * IRQ names, -i and -b) lives behind it, so the sampler's schedule can be tested on its own.
 */
public interface Targets {
    /**
     * Finds the NICs afresh in sysfs.
     *
     * @throws IOException when sysfs cannot be scanned; the last scan's NICs stay
     */
    void rescanNics() throws IOException;

    /**
     * Each NIC of the last scan, in watch order, with the labels of its receive lines among
     * those of {@code interrupts}, whose names suffice (no counts needed).
     */
    Map<String, Set<String>> nicReceiveLines(Interrupts interrupts);

    /**
     * The watched disks by their /proc/diskstats name, found afresh.
     *
     * @throws IOException when sysfs cannot be scanned; the sampler keeps the last ones
     */
    Set<String> disks() throws IOException;
}
