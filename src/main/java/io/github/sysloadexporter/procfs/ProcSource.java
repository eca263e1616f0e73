package io.github.sysloadexporter.procfs;

import java.io.IOException;

/**
 * The three /proc files the sampler reads, parsed; a bad line is skipped, not thrown.
 * {@link ProcFs} reads them from a mount; tests hand the sampler readings of their own.
 */
public interface ProcSource {
    ProcStat stat() throws IOException, ProcfsFormatException;

    DiskStats diskStats() throws IOException;

    /** Counts kept only for the lines {@code keep} selects. */
    Interrupts interrupts(IrqFilter keep) throws IOException, ProcfsFormatException;
}
