package io.github.sysloadexporter.procfs;

/**
 * One line of /proc/diskstats, reduced to what sysload uses.
 *
 * @param ioTicksMs field 13: milliseconds spent doing I/O ("io_ticks")
 */
public record DiskStat(int major, int minor, String name, long ioTicksMs) {}
