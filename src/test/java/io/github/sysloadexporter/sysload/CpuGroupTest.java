package io.github.sysloadexporter.sysload;

import static io.github.sysloadexporter.testing.Fixtures.c;
import static io.github.sysloadexporter.testing.Fixtures.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;
import io.github.sysloadexporter.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CpuGroupTest {
    private static final List<String> MLX5 =
            IntStream.rangeClosed(101, 116).mapToObj(String::valueOf).toList();

    /** 64 CPUs; mlx5 vector 101+q has 1,000,000 + {@code perQueue} on CPU q, plus {@code extra} lines. */
    private static Interrupts metal(long perQueue, IrqLine... extra) {
        List<IrqLine> lines = new ArrayList<>();
        for (int q = 0; q < 16; q++) {
            lines.add(line(
                    String.valueOf(101 + q),
                    Fixtures.on(64, q, 1_000_000 + perQueue),
                    "IR-PCI-MSIX-0000:5e:00.0   " + (q + 1) + "-edge",
                    "mlx5_comp" + q + "@pci:0000:5e:00.0"));
        }
        lines.addAll(List.of(extra));
        return new Interrupts(Fixtures.cpus(64), lines);
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
    }

    @Test
    void growthOnCpus0To15IsTheGroupAndStraysAreDropped() {
        Interrupts older = metal(0);
        Interrupts newer = metal(1000);
        // one stray interrupt on CPU 40 (irqbalance moved 116 there and back) and 5 on CPU 41:
        // both under 1% of the 16000 the group took
        long[] stray116 = Fixtures.on(64, 15, 1_001_000);
        stray116[40] = 1;
        stray116[41] = 5;
        List<IrqLine> lines = new ArrayList<>(newer.lines());
        lines.set(15, line("116", stray116, "IR-PCI-MSIX-0000:5e:00.0   16-edge", "mlx5_comp15@pci:0000:5e:00.0"));
        newer = new Interrupts(newer.cpuIds(), lines);

        assertEquals(range(0, 15), CpuGroup.busyCpus(older, newer, MLX5));
    }

    @Test
    void aCpuWithTwoInterruptsAndAtLeastOnePercentCounts() {
        Interrupts older = new Interrupts(Fixtures.cpus(2), List.of(line("38", c(0, 0), "x", "virtio2-input.0")));
        Interrupts newer = new Interrupts(Fixtures.cpus(2), List.of(line("38", c(2, 150), "x", "virtio2-input.0")));

        // CPU 0: 2 of 152 interrupts, above both the count and the 1% share floor
        assertEquals(Set.of(0, 1), CpuGroup.busyCpus(older, newer, List.of("38")));
    }

    @Test
    void otherIrqsDoNotCount() {
        IrqLine quietNvme = line("90", Fixtures.on(64, 50, 7), "x", "nvme0q1");
        IrqLine busyNvme = line("90", Fixtures.on(64, 50, 900_000), "x", "nvme0q1");

        assertEquals(range(0, 15), CpuGroup.busyCpus(metal(0, quietNvme), metal(1000, busyNvme), MLX5));
    }

    @Test
    void aCpuOfflineInEitherSnapshotIsSkipped() {
        // CPU 3 offline in the older snapshot: the header lists 0,1,2,4 and the columns shift
        Interrupts older =
                new Interrupts(new int[] {0, 1, 2, 4}, List.of(line("60", c(100, 100, 100, 100), "x", "eth0-rx-0")));
        Interrupts newer = new Interrupts(
                new int[] {0, 1, 2, 3, 4}, List.of(line("60", c(100, 200, 100, 5000, 400), "x", "eth0-rx-0")));

        assertEquals(Set.of(1, 4), CpuGroup.busyCpus(older, newer, List.of("60")));
        // and offline in the newer one: its old count is not compared with anything
        assertEquals(
                Set.of(1, 4),
                CpuGroup.busyCpus(
                        new Interrupts(
                                new int[] {0, 1, 2, 3, 4},
                                List.of(line("60", c(100, 100, 100, 0, 100), "x", "eth0-rx-0"))),
                        new Interrupts(
                                new int[] {0, 1, 2, 4}, List.of(line("60", c(100, 200, 100, 400), "x", "eth0-rx-0"))),
                        List.of("60")));
    }

    @Test
    void aCounterThatWentDownIsNoGrowth() {
        Interrupts older =
                new Interrupts(Fixtures.cpus(4), List.of(line("60", c(5000, 100, 100, 100), "x", "eth0-rx-0")));
        Interrupts newer =
                new Interrupts(Fixtures.cpus(4), List.of(line("60", c(10, 100, 900, 100), "x", "eth0-rx-0")));

        // CPU 0's 5000 -> 10 is a reset (driver reloaded), not -4990 nor +10
        assertEquals(Set.of(2), CpuGroup.busyCpus(older, newer, List.of("60")));
    }

    /**
     * A line missing from the older snapshot (registered since, or skipped there as
     * unparsable) says nothing about this interval: its counts since boot are no growth.
     */
    @Test
    void aLineMissingFromEitherSnapshotIsLeftOut() {
        Interrupts older = new Interrupts(Fixtures.cpus(2), List.of(line("61", c(0, 10), "x", "eth0-rx-1")));
        Interrupts newer = new Interrupts(
                Fixtures.cpus(2),
                List.of(line("60", c(900_000, 40), "x", "eth0-rx-0"), line("61", c(0, 50), "x", "eth0-rx-1")));

        assertEquals(Set.of(1), CpuGroup.busyCpus(older, newer, List.of("60", "61")));
        assertEquals(Set.of(), CpuGroup.busyCpus(newer, older, List.of("60")));
    }

    /** The kernel's per-CPU IRQ counts are 32-bit: past 2^32-1 they go on from 0. */
    @Test
    void aCountThatWrappedAt32BitsGrewByTheWrappedDistance() {
        long top = (1L << 32) - 1;
        Interrupts older =
                new Interrupts(Fixtures.cpus(3), List.of(line("60", c(top - 999, 100, 100), "x", "eth0-rx-0")));
        Interrupts newer = new Interrupts(Fixtures.cpus(3), List.of(line("60", c(500, 100, 120), "x", "eth0-rx-0")));

        // CPU 0: 1000 to reach 2^32 plus 500: growth 1500; CPU 2: 20
        assertEquals(Set.of(0, 2), CpuGroup.busyCpus(older, newer, List.of("60")));
    }

    @Test
    void noGrowthGivesAnEmptyGroup() {
        assertEquals(Set.of(), CpuGroup.busyCpus(metal(500), metal(500), MLX5));
        assertEquals(Set.of(), CpuGroup.busyCpus(metal(0), metal(1000), List.of()));
    }
}
