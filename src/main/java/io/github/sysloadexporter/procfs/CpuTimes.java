package io.github.sysloadexporter.procfs;

/**
 * One {@code cpu} or {@code cpuN} line of /proc/stat, in USER_HZ ticks. Kernels older than
 * 2.6.33 print fewer than ten fields; the missing ones are zero.
 */
public record CpuTimes(
        long user,
        long nice,
        long system,
        long idle,
        long iowait,
        long irq,
        long softirq,
        long steal,
        long guest,
        long guestNice) {}
