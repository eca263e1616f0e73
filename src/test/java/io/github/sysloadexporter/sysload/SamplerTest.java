package io.github.sysloadexporter.sysload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.sysloadexporter.procfs.CpuTimes;
import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.IrqLine;
import io.github.sysloadexporter.procfs.ProcSource;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import io.github.sysloadexporter.procfs.Skipped;
import io.github.sysloadexporter.testing.LogLines;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The schedule and the failure handling, with a clock and a /proc the test drives. */
class SamplerTest {
    static final long SECOND = 1_000_000_000L;

    /** A /proc whose counters advance by one busy second of cpu1 softirq per reading. */
    static final class FakeProc implements ProcSource {
        int statReads;
        /** Reads of /proc/interrupts for the counts, tried or done. */
        int interruptReads;
        /** Reads of /proc/interrupts for the lines' names alone, to tie them to NICs. */
        int nameReads;

        long rxOnCpu1;
        long rxOnCpu0;
        /** Which CPU takes eth0's receive interrupts: irqbalance may move them. */
        int rxCpu = 1;

        boolean broken;
        boolean interruptsBroken;
        Skipped diskstatsSkipped = Skipped.NONE;

        @Override
        public ProcStat stat() throws ProcfsFormatException {
            if (broken) {
                throw new ProcfsFormatException("/proc/stat", 1, "broken on purpose");
            }
            statReads++;
            long n = statReads;
            TreeMap<Integer, CpuTimes> per = new TreeMap<>();
            per.put(0, new CpuTimes(0, 0, 0, 100 * n, 0, 0, 0, 0, 0, 0));
            per.put(1, new CpuTimes(0, 0, 0, 0, 0, 0, 100 * n, 0, 0, 0));
            return new ProcStat(new CpuTimes(0, 0, 0, 100 * n, 0, 0, 100 * n, 0, 0, 0), per, 0, 0);
        }

        @Override
        public DiskStats diskStats() {
            return new DiskStats(List.of(new DiskStat(254, 0, "vda", 0)), Set.of(), diskstatsSkipped);
        }

        @Override
        public Interrupts interrupts(IrqFilter keep) throws IOException {
            boolean names = keep == IrqFilter.NONE;
            if (names) {
                nameReads++;
            } else {
                interruptReads++;
            }
            if (interruptsBroken) {
                throw new NoSuchFileException("/proc/interrupts");
            }
            if (names) {
                return new Interrupts(new int[] {0, 1}, List.of(eth0Rx(new long[0])));
            }
            if (rxCpu == 0) {
                rxOnCpu0 += 1000;
            } else {
                rxOnCpu1 += 1000;
            }
            return new Interrupts(new int[] {0, 1}, List.of(eth0Rx(new long[] {rxOnCpu0, rxOnCpu1})));
        }

        static IrqLine eth0Rx(long[] counts) {
            return new IrqLine(
                    "38", counts, "PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0", List.of("virtio2-input.0"));
        }
    }

    static final class FakeTargets implements Targets {
        int nicScans;
        int diskScans;
        boolean blockMissing;
        Set<String> disks = Set.of("vda");

        /** What the last NIC scan tied, by the names of the lines it was given. */
        List<String> tiedNames = List.of();

        @Override
        public void rescanNics() {
            nicScans++;
        }

        @Override
        public Map<String, Set<String>> nicReceiveLines(Interrupts interrupts) {
            tiedNames = interrupts.lines().stream()
                    .flatMap(l -> l.actions().stream())
                    .toList();
            return Map.of("eth0", Set.of("38"));
        }

        @Override
        public Set<String> disks() throws IOException {
            diskScans++;
            if (blockMissing) {
                throw new NoSuchFileException("/sys/block");
            }
            return disks;
        }
    }

    final FakeProc proc = new FakeProc();
    final FakeTargets targets = new FakeTargets();
    long now = 7 * SECOND;
    final LogLines log = new LogLines(Level.DEBUG);
    final Sampler sampler = new Sampler(
            proc, targets, new SysloadCalculator(40, 90, SECOND), SECOND, () -> now, () -> now / 1_000_000, log);

    void tick() {
        sampler.tick();
        now += SECOND;
    }

    @Test
    void awaitNextReturnsWhatIsNewAtOnceWakesOnAPublicationAndOtherwiseTimesOut() throws Exception {
        Published first = sampler.published();
        assertSame(first, sampler.awaitNext(first, SECOND / 50)); // nothing new: the same, after the wait
        tick();
        Published second = sampler.published();
        assertNotSame(first, second);
        assertSame(second, sampler.awaitNext(first, 0)); // already newer: no wait
        // A failed reading is a publication too (a count moved), though its sample is the last good one.
        AtomicReference<Published> third = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                third.set(sampler.awaitNext(second, 30 * SECOND));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // until it waits: then only a publication can wake it before 30 s
        }
        proc.broken = true;
        tick();
        waiter.join();
        assertNotSame(second, third.get());
        assertEquals(1, third.get().failuresTotal());
    }

    @Test
    void interruptsAreReadTwiceAtStartThenEveryTenSeconds() {
        List<Integer> readsAfterTick = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            tick();
            readsAfterTick.add(proc.interruptReads);
        }
        // ticks 1, 2, then 12 and 22 (10 s after the previous read)
        assertEquals(
                List.of(1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4), readsAfterTick);
        assertEquals(25, proc.statReads);
    }

    @Test
    void detectionIsRepeatedEveryMinute() {
        for (int i = 0; i < 121; i++) {
            tick();
        }
        assertEquals(3, targets.nicScans); // at 0 s, 60 s and 120 s
        assertEquals(3, targets.diskScans);
        // each NIC scan tied by the names in /proc/interrupts, read for them alone
        assertEquals(3, proc.nameReads);
        assertEquals(List.of("virtio2-input.0"), targets.tiedNames);
    }

    @Test
    void nicGroupIsKnownFromTheSecondSampleOn() {
        tick();
        assertNull(sampler.published().sample());
        tick();
        Sample s = sampler.published().sample();
        assertEquals(Map.of("eth0", Set.of(1)), s.nicIrqCpus());
        assertEquals(100, s.siCpu().modes().sintr(), 1e-9); // cpu1 alone, not the 50 % of both CPUs
        assertEquals(100, s.sysload().now(), 1e-9);
    }

    @Test
    void aFailureKeepsTheLastSampleAndCountsIt() {
        tick();
        tick();
        Published good = sampler.published();
        proc.broken = true;
        tick();
        tick();
        Published bad = sampler.published();
        assertSame(good.sample(), bad.sample());
        assertEquals(2, bad.failuresTotal());
        assertEquals(2, bad.samplesTotal());
        assertEquals(good.lastSuccessSeconds(), bad.lastSuccessSeconds(), 0);
        proc.broken = false;
        tick();
        Published again = sampler.published();
        assertEquals(3, again.samplesTotal());
        assertEquals(2, again.failuresTotal());
        assertEquals(11.0, again.lastSuccessSeconds(), 1e-9); // the fifth tick, at 7 s + 4 s
    }

    /** The seconds behind the means: a failed reading adds none, the next good one covers its time. */
    @Test
    void aFailedReadingCountsNoSecondsAndTheNextCoversThem() {
        tick();
        tick();
        assertEquals(1, sampler.published().sample().seconds().total(), 1e-9);
        proc.broken = true;
        tick();
        assertEquals(1, sampler.published().sample().seconds().total(), 1e-9);
        proc.broken = false;
        tick();
        // 2 s since the last good reading, all of them counted once
        assertEquals(3, sampler.published().sample().seconds().total(), 1e-9);
    }

    @Test
    void interruptsUnreadableKeepTheGroupAndAreReadAgainNextTick() {
        tick();
        tick();
        proc.interruptsBroken = true;
        for (int i = 0; i < 10; i++) {
            tick();
        }
        Published p = sampler.published();
        assertEquals(new SourceHealth(false, 1, 0), p.sources().get(Source.INTERRUPTS));
        assertEquals(Map.of("eth0", Set.of(1)), p.sample().nicIrqCpus());
        assertEquals(100, p.sample().siCpu().modes().sintr(), 1e-9);
        assertEquals(0, p.failuresTotal());
        tick(); // due again: failed, so tried at every tick from now on
        assertEquals(4, proc.interruptReads);
        tick();
        assertEquals(5, proc.interruptReads);
        assertEquals(
                new SourceHealth(false, 3, 0), sampler.published().sources().get(Source.INTERRUPTS));
        proc.interruptsBroken = false;
        tick();
        tick();
        assertEquals(6, proc.interruptReads); // back to every 10 s
        assertEquals(new SourceHealth(true, 3, 0), sampler.published().sources().get(Source.INTERRUPTS));
    }

    @Test
    void aFailedSysfsScanKeepsTheTargetsAndIsRetriedWithinTenSeconds() {
        targets.blockMissing = true;
        tick();
        tick();
        Published p = sampler.published();
        assertEquals(new SourceHealth(false, 1, 0), p.sources().get(Source.SYSFS));
        assertEquals(Map.of(), p.sample().ioUtil()); // never found: none watched
        assertEquals(Map.of("eth0", Set.of(1)), p.sample().nicIrqCpus()); // the NIC scan worked
        targets.blockMissing = false;
        for (int i = 0; i < 9; i++) {
            tick();
        }
        assertEquals(2, targets.diskScans); // at 0 s and 10 s, not 60 s
        assertEquals(new SourceHealth(true, 1, 0), sampler.published().sources().get(Source.SYSFS));
        assertEquals(Map.of("vda", 0.0), sampler.published().sample().ioUtil());
        targets.blockMissing = true;
        for (int i = 0; i < 61; i++) {
            tick();
        }
        // failed again at 70 s: vda is still watched
        assertEquals(Map.of("vda", 0.0), sampler.published().sample().ioUtil());
        assertEquals(false, sampler.published().sources().get(Source.SYSFS).up());
    }

    /** What an operator reads at start and when irqbalance or a hot-plug changes what is watched. */
    @Test
    void whatIsWatchedIsToldAtTheFirstSampleThenOnlyWhenItChanges() {
        tick();
        assertEquals(List.of(), log.at(Level.INFO));
        tick(); // the second reading: eth0's CPUs are known
        assertEquals(List.of("watching NIC eth0: receive IRQ 38 on CPU 1", "watching disk vda"), log.at(Level.INFO));
        log.lines().clear();
        for (int i = 0; i < 118; i++) {
            tick(); // two minutes of rescans: nothing changed, nothing said
        }
        assertEquals(List.of(), log.at(Level.INFO));

        proc.rxCpu = 0; // irqbalance moved IRQ 38
        targets.disks = Set.of("vda", "vdb"); // a disk plugged in
        for (int i = 0; i < 60; i++) {
            tick();
        }
        assertEquals(
                List.of(
                        "disks changed: vdb added; watching vda, vdb",
                        "NIC eth0: receive interrupts now on CPU 0 (were on CPU 1)"),
                log.at(Level.INFO));
        assertEquals(List.of("eth0: receive interrupts now served by CPUs [0]"), log.at(Level.DEBUG));
    }

    @Test
    void skippedLinesAreEachShownAtDebugAndWarnedOfOnceAMinute() {
        proc.diskstatsSkipped = new Skipped(
                5,
                List.of(
                        new ProcfsFormatException("/proc/diskstats", 3, "too few fields"),
                        new ProcfsFormatException("/proc/diskstats", 4, "not a number: x")));
        tick();
        tick();
        assertEquals(
                List.of("skipped 5 unparsable line(s), the rest of the file counts: /proc/diskstats:3: too few fields"),
                log.at(Level.WARN));
        List<String> skipped =
                log.at(Level.DEBUG).stream().filter(l -> l.contains("skipped")).toList();
        assertEquals(
                List.of(
                        "line skipped: /proc/diskstats:3: too few fields",
                        "line skipped: /proc/diskstats:4: not a number: x",
                        "3 more line(s) of diskstats skipped, not kept",
                        // the second tick: warned of already, so its summary is at debug too
                        "skipped 5 unparsable line(s), the rest of the file counts: /proc/diskstats:3: too few fields",
                        "line skipped: /proc/diskstats:3: too few fields",
                        "line skipped: /proc/diskstats:4: not a number: x",
                        "3 more line(s) of diskstats skipped, not kept"),
                skipped);
    }
}
