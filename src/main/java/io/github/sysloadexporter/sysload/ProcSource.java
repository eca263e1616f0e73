package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.io.IOException;

/** The three /proc files the sampler reads, parsed; a bad line is skipped, not thrown. */
public interface ProcSource {
    ProcStat stat() throws IOException, ProcfsFormatException;

    DiskStats diskStats() throws IOException;

    /** Counts kept only for the lines {@code keep} selects. */
    Interrupts interrupts(IrqFilter keep) throws IOException, ProcfsFormatException;
}
