package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.ProcStat;
import java.util.Optional;

/**
 * The raw files of one tick and when they were read.
 *
 * @param monotonicNanos System.nanoTime() at the read: elapsed time comes from this, so a
 *                       wall-clock jump changes no rate
 * @param wallMillis     wall-clock time of the read, published as the sample's timestamp
 * @param disks          /proc/diskstats; empty when it could not be read this tick
 */
public record Reading(long monotonicNanos, long wallMillis, ProcStat stat, Optional<DiskStats> disks) {}
