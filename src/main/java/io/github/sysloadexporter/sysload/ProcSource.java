package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.io.IOException;
import java.util.List;

/** The three /proc files the sampler reads, parsed. */
public interface ProcSource {
    ProcStat stat() throws IOException, ProcfsFormatException;

    List<DiskStat> diskStats() throws IOException, ProcfsFormatException;

    Interrupts interrupts() throws IOException, ProcfsFormatException;
}
