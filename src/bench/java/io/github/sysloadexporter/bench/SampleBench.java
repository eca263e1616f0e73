package io.github.sysloadexporter.bench;

import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.DiskStatsParser;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.InterruptsParser;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcStatParser;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.sysload.NicGroup;
import io.github.sysloadexporter.sysload.Reading;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.sysload.SysloadCalculator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one tick costs: parsing each file, and a whole sample (read the files from disk,
 * parse, compute). Run with {@code -prof gc} for the allocation per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx64m"})
@State(Scope.Thread)
public class SampleBench {
    @Param({"2", "256"})
    int cpus;

    String statA;
    String statB;
    String diskstats;
    String interrupts;
    Path dirA;
    Path dirB;
    ProcFs procA;
    ProcFs procB;
    SysloadCalculator calculator;
    List<NicGroup> nics;
    Set<String> disks = Set.of("nvme0n1", "nvme1n1", "sda");
    long nanos;
    boolean flip;
    IrqFilter watched;

    @Setup(Level.Trial)
    public void setUp() throws IOException, ProcfsFormatException {
        statA = HostFiles.stat(cpus, 0);
        statB = HostFiles.stat(cpus, 1);
        diskstats = HostFiles.diskstats(0);
        interrupts = HostFiles.interrupts(cpus, 0);
        dirA = Files.createTempDirectory("bench-a");
        dirB = Files.createTempDirectory("bench-b");
        HostFiles.write(dirA, cpus, 0);
        HostFiles.write(dirB, cpus, 1);
        procA = new ProcFs(dirA);
        procB = new ProcFs(dirB);
        calculator = new SysloadCalculator(40, 90, 1_000_000_000L);
        Set<Integer> group = new TreeSet<>();
        for (int c = 0; c < Math.min(16, cpus); c++) {
            group.add(c);
        }
        nics = List.of(new NicGroup("ens1f0np0", group));
        Interrupts all = InterruptsParser.parse("/proc/interrupts", interrupts);
        Set<String> labels = new TreeSet<>();
        for (var line : all.lines()) {
            if (line.actions().stream().anyMatch(a -> a.startsWith("mlx5_comp"))) {
                labels.add(line.irq());
            }
        }
        watched = IrqFilter.labels(labels);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (Path dir : List.of(dirA, dirB)) {
            for (String f : List.of("stat", "diskstats", "interrupts")) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    @Benchmark
    public ProcStat parseStat() throws ProcfsFormatException {
        return ProcStatParser.parse("/proc/stat", statA);
    }

    @Benchmark
    public DiskStats parseDiskstats() {
        return DiskStatsParser.parse("/proc/diskstats", diskstats);
    }

    @Benchmark
    public Interrupts parseInterrupts() throws ProcfsFormatException {
        return InterruptsParser.parse("/proc/interrupts", interrupts);
    }

    /**
     * A rescan as the sampler does it: read from disk, counts kept only for the watched NIC's
     * 16 receive lines (the others are listed without counts).
     */
    @Benchmark
    public Interrupts readInterruptsWatched() throws IOException, ProcfsFormatException {
        return procA.interrupts(watched);
    }

    /** One steady-state tick: read stat and diskstats from disk, parse, compute a sample. */
    @Benchmark
    public Sample tick() throws IOException, ProcfsFormatException {
        ProcFs proc = flip ? procB : procA;
        flip = !flip;
        nanos += 1_000_000_000L;
        Reading r = new Reading(nanos, nanos / 1_000_000, proc.stat(), java.util.Optional.of(proc.diskStats()));
        return calculator.next(r, nics, disks);
    }
}
