package io.github.sysloadexporter.sysload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.sysloadexporter.procfs.CpuTimes;
import io.github.sysloadexporter.procfs.DiskStat;
import io.github.sysloadexporter.procfs.DiskStats;
import io.github.sysloadexporter.procfs.ProcStat;
import io.github.sysloadexporter.procfs.Skipped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every expectation below is worked out by hand from the counters in the test. */
class SysloadCalculatorTest {
    private static final long SECOND = 1_000_000_000L;
    private static final double EPS = 1e-9;

    static CpuTimes t(long user, long nice, long system, long idle, long iowait, long irq, long softirq) {
        return new CpuTimes(user, nice, system, idle, iowait, irq, softirq, 0, 0, 0);
    }

    static CpuTimes idle(long idle) {
        return t(0, 0, 0, idle, 0, 0, 0);
    }

    /** A /proc/stat whose aggregate line is the sum of the per-CPU lines, as the kernel's is. */
    static ProcStat stat(long intr, long ctxt, CpuTimes... cpus) {
        TreeMap<Integer, CpuTimes> per = new TreeMap<>();
        long[] sum = new long[7];
        for (int i = 0; i < cpus.length; i++) {
            CpuTimes c = cpus[i];
            per.put(i, c);
            sum[0] += c.user();
            sum[1] += c.nice();
            sum[2] += c.system();
            sum[3] += c.idle();
            sum[4] += c.iowait();
            sum[5] += c.irq();
            sum[6] += c.softirq();
        }
        return new ProcStat(t(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6]), per, intr, ctxt);
    }

    static Reading reading(long seconds, ProcStat stat, DiskStat... disks) {
        return new Reading(
                seconds * SECOND,
                1_700_000_000_000L + seconds * 1000,
                stat,
                Optional.of(new DiskStats(List.of(disks), Set.of(), Skipped.NONE)));
    }

    static DiskStat disk(String name, long ioTicks) {
        return new DiskStat(259, 0, name, ioTicks);
    }

    @Test
    void firstReadingHasNothingToCompareWith() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        assertNull(calc.next(reading(0, stat(0, 0, idle(100))), List.of(), Set.of()));
    }

    @Test
    void allCpusBusyIsOneHundred() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(1000), idle(1000))), List.of(), Set.of());
        // 100 ticks of user on each CPU, no idle.
        Sample s = calc.next(
                reading(1, stat(0, 0, t(100, 0, 0, 1000, 0, 0, 0), t(100, 0, 0, 1000, 0, 0, 0))), List.of(), Set.of());
        assertEquals(100, s.cpu().user(), EPS);
        assertEquals(0, s.cpu().idle(), EPS);
        assertEquals(100, s.sysload().now(), EPS);
        assertEquals(new Candidate(Candidate.CPU, "", 100), s.candidates().get(0));
    }

    @Test
    void modeSharesExcludeStealAndGuest() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        ProcStat a = new ProcStat(new CpuTimes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), new TreeMap<>(), 0, 0);
        // user 30 nice 5 system 10 idle 40 iowait 5 irq 4 softirq 6 = 100; steal 50, guest 20 ignored.
        ProcStat b = new ProcStat(new CpuTimes(30, 5, 10, 40, 5, 4, 6, 50, 20, 3), new TreeMap<>(), 0, 0);
        calc.next(reading(0, a), List.of(), Set.of());
        Sample s = calc.next(reading(1, b), List.of(), Set.of());
        assertEquals(new CpuModes(30, 5, 10, 40, 5, 4, 6), s.cpu());
        assertEquals(60, s.sysload().now(), EPS);
    }

    @Test
    void nicIrqCpusAboveThresholdDriveSysload() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0), idle(0), idle(0), idle(0))), List.of(), Set.of());
        // cpu0: system 10, softirq 50, idle 40 -> interrupt share 60 > 40, busy 60.
        Sample s = calc.next(
                reading(1, stat(0, 0, t(0, 0, 10, 40, 0, 0, 50), idle(100), idle(100), idle(100))),
                List.of(new NicGroup("eth0", Set.of(0))),
                Set.of());
        assertEquals(15, s.cpu().busy(), EPS); // 60 busy ticks of 400
        assertEquals("eth0", s.siCpu().nic());
        assertEquals(50, s.siCpu().modes().sintr(), EPS);
        assertEquals(60, s.sysload().now(), EPS);
        assertEquals(new Candidate(Candidate.SI_CPU, "eth0", 60), s.candidates().get(1));
        assertEquals(Map.of("eth0", Set.of(0)), s.nicIrqCpus());
    }

    @Test
    void whatDrivesSysloadIsTheFirstOfTheLargestCandidatesAndNothingWhileAllAreZero() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0), idle(0))), List.of(), Set.of());
        // cpu0 all softirq, cpu1 idle: all CPUs 50 busy; eth0's group (cpu0) 100, share 100.
        Sample s = calc.next(
                reading(1, stat(0, 0, t(0, 0, 0, 0, 0, 0, 100), idle(100))),
                List.of(new NicGroup("eth0", Set.of(0))),
                Set.of());
        assertEquals(new Candidate(Candidate.SI_CPU, "eth0", 100), s.driving().orElseThrow());
        // Both CPUs softirq, the group covering them: cpu and si_cpu tie at 100, cpu first.
        s = calc.next(
                reading(2, stat(0, 0, t(0, 0, 0, 0, 0, 0, 200), t(0, 0, 0, 100, 0, 0, 100))),
                List.of(new NicGroup("eth0", Set.of(0, 1))),
                Set.of());
        assertEquals(Candidate.CPU, s.driving().orElseThrow().resource());
        // Idle throughout: nothing drives it.
        s = calc.next(
                reading(3, stat(0, 0, t(0, 0, 0, 100, 0, 0, 200), t(0, 0, 0, 200, 0, 0, 100))), List.of(), Set.of());
        assertEquals(Optional.empty(), s.driving());
    }

    @Test
    void nicIrqCpusAtOrBelowThresholdAreNoCandidate() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0), idle(0), idle(0), idle(0))), List.of(), Set.of());
        // cpu0: user 40, system 10, softirq 30, idle 20 -> share 40, not above 40; busy 80.
        Sample s = calc.next(
                reading(1, stat(0, 0, t(40, 0, 10, 20, 0, 0, 30), idle(100), idle(100), idle(100))),
                List.of(new NicGroup("eth0", Set.of(0))),
                Set.of());
        assertEquals(80, s.siCpu().modes().busy(), EPS);
        assertEquals(0, s.candidates().get(1).percent(), EPS);
        assertEquals(20, s.sysload().now(), EPS); // the all-CPU value: 80 busy ticks of 400
    }

    @Test
    void ofSeveralNicsTheGroupWithMostSoftirqIsSiCpu() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0), idle(0), idle(0))), List.of(), Set.of());
        Sample s = calc.next(
                reading(1, stat(0, 0, t(0, 0, 0, 90, 0, 0, 10), t(0, 0, 0, 30, 0, 0, 70), idle(100))),
                List.of(new NicGroup("eno1", Set.of(0)), new NicGroup("ens1f0np0", Set.of(1))),
                Set.of());
        assertEquals("ens1f0np0", s.siCpu().nic());
        assertEquals(70, s.siCpu().modes().sintr(), EPS);
        assertEquals(70, s.sysload().now(), EPS);
    }

    @Test
    void unknownOrAllCoveringGroupIsTheAggregate() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0), idle(0))), List.of(), Set.of());
        Sample s = calc.next(
                reading(1, stat(0, 0, t(0, 0, 0, 50, 0, 0, 50), idle(100))),
                List.of(new NicGroup("eth0", Set.of())),
                Set.of());
        assertEquals(s.cpu(), s.siCpu().modes());
        assertEquals(Map.of("eth0", Set.of()), s.nicIrqCpus());
    }

    @Test
    void oneBusyDiskDrivesSysloadAndIsCappedAtOneHundred() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        Set<String> watched = Set.of("nvme0n1", "sda");
        calc.next(reading(0, stat(0, 0, idle(0)), disk("nvme0n1", 1000), disk("sda", 7)), List.of(), watched);
        // nvme0n1: 500 ms of I/O in 1 s = 50 %; sda: 1500 ms in 1 s (merged queues) -> 100.
        Sample s = calc.next(
                reading(1, stat(0, 0, idle(100)), disk("nvme0n1", 1500), disk("sda", 1507)), List.of(), watched);
        assertEquals(Map.of("nvme0n1", 50.0, "sda", 100.0), s.ioUtil());
        assertEquals(100, s.sysload().now(), EPS);
        assertEquals(new Candidate(Candidate.IO, "nvme0n1", 50), s.candidates().get(2));
        assertEquals(new Candidate(Candidate.IO, "sda", 100), s.candidates().get(3));
    }

    @Test
    void unwatchedDisksAreIgnored() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0)), disk("loop0", 0)), List.of(), Set.of());
        Sample s = calc.next(reading(1, stat(0, 0, idle(100)), disk("loop0", 1000)), List.of(), Set.of());
        assertEquals(Map.of(), s.ioUtil());
        assertEquals(0, s.sysload().now(), EPS);
    }

    @Test
    void diskUtilUsesElapsedTime() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0)), disk("vda", 0)), List.of(), Set.of("vda"));
        // 600 ms of I/O over 4 s (a late tick) = 15 %.
        Sample s = calc.next(reading(4, stat(0, 0, idle(400)), disk("vda", 600)), List.of(), Set.of("vda"));
        assertEquals(15, s.ioUtil().get("vda"), EPS);
    }

    @Test
    void thirtyTwoBitWrapOfIoTicks() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0)), disk("sda", 4_294_967_196L)), List.of(), Set.of("sda"));
        // 2^32 - 100 -> 150: 250 ms over 1 s.
        Sample s = calc.next(reading(1, stat(0, 0, idle(100)), disk("sda", 150)), List.of(), Set.of("sda"));
        assertEquals(25, s.ioUtil().get("sda"), EPS);
    }

    @Test
    void sixtyFourBitWrapOfCpuCounters() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        long nearTop = -30L; // 2^64 - 30 as an unsigned value
        calc.next(reading(0, stat(0, 0, t(nearTop, 0, 0, 0, 0, 0, 0))), List.of(), Set.of());
        // user: 2^64-30 -> 20 is 50 ticks; idle 0 -> 50: busy 50 %.
        Sample s = calc.next(reading(1, stat(0, 0, t(20, 0, 0, 50, 0, 0, 0))), List.of(), Set.of());
        assertEquals(50, s.cpu().user(), EPS);
        assertEquals(50, s.sysload().now(), EPS);
    }

    @Test
    void counterResetIsNeverNegative() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(
                reading(0, stat(5_000_000, 9_000_000, t(0, 0, 0, 0, 0, 0, 0)), disk("vda", 900_000)),
                List.of(),
                Set.of("vda"));
        // ctxt and intr and io_ticks restart near 0 (a reset, not a wrap): rates 0, util 0.
        Sample s =
                calc.next(reading(1, stat(10, 20, t(0, 0, 0, 100, 0, 0, 0)), disk("vda", 3)), List.of(), Set.of("vda"));
        assertEquals(0, s.rates().ctxtPerSecond(), EPS);
        assertEquals(0, s.rates().intrPerSecond(), EPS);
        assertEquals(0, s.ioUtil().get("vda"), EPS);
        assertEquals(0, s.sysload().now(), EPS);
    }

    @Test
    void cpuMissingFromSecondSnapshotLeavesTheGroup() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0), idle(0), idle(0))), List.of(), Set.of());
        // cpu1 went offline: only cpu0 (softirq 80, idle 20) is left of the group {0, 1}.
        TreeMap<Integer, CpuTimes> per = new TreeMap<>();
        per.put(0, t(0, 0, 0, 20, 0, 0, 80));
        per.put(2, idle(100));
        ProcStat now = new ProcStat(t(0, 0, 0, 120, 0, 0, 80), per, 0, 0);
        Sample s = calc.next(reading(1, now), List.of(new NicGroup("eth0", Set.of(0, 1))), Set.of());
        assertEquals(80, s.siCpu().modes().sintr(), EPS);
        assertEquals(80, s.sysload().now(), EPS);
    }

    @Test
    void zeroIntervalKeepsPreviousValues() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0)), disk("vda", 0)), List.of(), Set.of("vda"));
        Sample first = calc.next(
                reading(1, stat(100, 50, t(30, 0, 0, 70, 0, 0, 0)), disk("vda", 200)), List.of(), Set.of("vda"));
        // Same jiffies and same monotonic time again: nothing can be divided by zero.
        Sample again = calc.next(
                new Reading(
                        SECOND,
                        1_700_000_001_000L,
                        stat(100, 50, t(30, 0, 0, 70, 0, 0, 0)),
                        Optional.of(new DiskStats(List.of(disk("vda", 200)), Set.of(), Skipped.NONE))),
                List.of(),
                Set.of("vda"));
        assertEquals(first.cpu(), again.cpu());
        assertEquals(first.ioUtil(), again.ioUtil());
        assertEquals(first.rates().ctxtPerSecond(), again.rates().ctxtPerSecond(), EPS);
        assertEquals(30, again.sysload().now(), EPS);
    }

    @Test
    void ratesArePerSecond() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(1000, 500, idle(0))), List.of(), Set.of());
        Sample s = calc.next(reading(2, stat(5000, 1500, idle(200))), List.of(), Set.of());
        assertEquals(2000, s.rates().intrPerSecond(), EPS);
        assertEquals(500, s.rates().ctxtPerSecond(), EPS);
    }

    @Test
    void diskLabelsFollowDisksComingAndGoing() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        Set<String> watched = Set.of("sda", "sdb");
        calc.next(reading(0, stat(0, 0, idle(0)), disk("sda", 0)), List.of(), watched);
        Sample s1 = calc.next(reading(1, stat(0, 0, idle(100)), disk("sda", 100), disk("sdb", 0)), List.of(), watched);
        assertEquals(Set.of("sda"), s1.ioUtil().keySet()); // sdb has no interval yet
        Sample s2 = calc.next(reading(2, stat(0, 0, idle(200)), disk("sdb", 300)), List.of(), watched);
        assertEquals(Map.of("sdb", 30.0), s2.ioUtil()); // sda removed: its label goes
    }

    @Test
    void meansCoverOnlySamplesTakenNeverZeroPadded() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        calc.next(reading(0, stat(0, 0, idle(0))), List.of(), Set.of());
        // One fully busy second right after start: every mean is 100, not 100/60.
        Sample s = calc.next(reading(1, stat(0, 0, t(100, 0, 0, 0, 0, 0, 0))), List.of(), Set.of());
        assertEquals(100, s.sysload().one(), EPS);
        assertEquals(100, s.sysload().five(), EPS);
        assertEquals(100, s.sysload().fifteen(), EPS);
    }

    @Test
    void oneMinuteMeanForgetsSamplesOlderThanAMinute() {
        SysloadCalculator calc = new SysloadCalculator(40, 90, SECOND);
        long user = 0;
        long idle = 0;
        calc.next(reading(0, stat(0, 0, idle(0))), List.of(), Set.of());
        Sample s = null;
        // 60 busy seconds, then 60 idle seconds: the 1-minute mean is back to 0, the 5- and
        // 15-minute means are 50.
        for (int sec = 1; sec <= 120; sec++) {
            if (sec <= 60) {
                user += 100;
            } else {
                idle += 100;
            }
            s = calc.next(reading(sec, stat(0, 0, t(user, 0, 0, idle, 0, 0, 0))), List.of(), Set.of());
            if (sec == 90) {
                assertEquals(50, s.sysload().one(), EPS); // seconds 31..90: 30 busy, 30 idle
            }
        }
        assertEquals(0, s.sysload().one(), EPS);
        assertEquals(50, s.sysload().five(), EPS);
        assertEquals(50, s.sysload().fifteen(), EPS);
    }
}
