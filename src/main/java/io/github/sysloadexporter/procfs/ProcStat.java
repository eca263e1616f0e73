package io.github.sysloadexporter.procfs;

import java.util.SortedMap;

/**
 * What sysload needs of /proc/stat.
 *
 * @param total           the aggregate {@code cpu} line
 * @param perCpu          the {@code cpuN} lines by N; offline CPUs are absent
 * @param interrupts      first number of the {@code intr} line (all interrupts since boot)
 * @param contextSwitches the {@code ctxt} line
 */
public record ProcStat(CpuTimes total, SortedMap<Integer, CpuTimes> perCpu, long interrupts,
                       long contextSwitches) {
    public ProcStat {
        perCpu = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(perCpu));
    }
}
