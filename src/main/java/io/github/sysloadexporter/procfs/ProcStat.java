package io.github.sysloadexporter.procfs;

import java.util.Collections;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What sysload needs of /proc/stat.
 *
 * @param total           the aggregate {@code cpu} line
 * @param perCpu          the {@code cpuN} lines by N; offline CPUs, and CPUs whose line was
 *                        skipped, are absent
 * @param interrupts      first number of the {@code intr} line (all interrupts since boot);
 *                        empty if the line was missing or skipped
 * @param contextSwitches the {@code ctxt} line; empty if missing or skipped
 * @param skipped         lines that could not be parsed
 */
public record ProcStat(
        CpuTimes total,
        SortedMap<Integer, CpuTimes> perCpu,
        OptionalLong interrupts,
        OptionalLong contextSwitches,
        Skipped skipped) {
    public ProcStat {
        perCpu = Collections.unmodifiableSortedMap(new TreeMap<>(perCpu));
    }

    /** A file whose every line was good. */
    public ProcStat(CpuTimes total, SortedMap<Integer, CpuTimes> perCpu, long interrupts, long contextSwitches) {
        this(total, perCpu, OptionalLong.of(interrupts), OptionalLong.of(contextSwitches), Skipped.NONE);
    }
}
