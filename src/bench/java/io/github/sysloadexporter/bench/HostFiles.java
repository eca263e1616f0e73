package io.github.sysloadexporter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * /proc/stat, /proc/diskstats and /proc/interrupts of a host of N CPUs, in the kernel's exact
 * layout, advanced by {@code step} seconds of load: the 256-CPU case of the benchmarks is
 * generated rather than checked in (its interrupts file alone is most of a megabyte).
 */
final class HostFiles {
    static final int IRQ_LINES = 400;

    private HostFiles() {}

    static void write(Path dir, int cpus, int step) throws IOException {
        Files.writeString(dir.resolve("stat"), stat(cpus, step));
        Files.writeString(dir.resolve("diskstats"), diskstats(step));
        Files.writeString(dir.resolve("interrupts"), interrupts(cpus, step));
    }

    static String stat(int cpus, int step) {
        StringBuilder lines = new StringBuilder(cpus * 64 + 8192);
        long[] sum = new long[10];
        StringBuilder per = new StringBuilder(cpus * 64);
        for (int c = 0; c < cpus; c++) {
            long[] f = {
                1_000_000L + c * 31L + step * 40L,
                2_000L + c,
                300_000L + step * 10L,
                50_000_000L + step * 30L,
                9_000L + step,
                0,
                7_000L + c + step * 20L,
                0,
                0,
                0
            };
            per.append("cpu").append(c);
            for (int i = 0; i < 10; i++) {
                per.append(' ').append(f[i]);
                sum[i] += f[i];
            }
            per.append('\n');
        }
        lines.append("cpu ");
        for (long v : sum) {
            lines.append(' ').append(v);
        }
        lines.append('\n').append(per);
        // The intr line has one count per IRQ number the kernel knows: thousands on big hosts.
        lines.append("intr ").append(900_000_000L + step * 50_000L);
        for (int i = 0; i < 4096; i++) {
            lines.append(' ').append(i % 7 == 0 ? 12345L + step : 0);
        }
        lines.append('\n');
        lines.append("ctxt ").append(4_000_000_000L + step * 90_000L).append('\n');
        lines.append("btime 1764000000\nprocesses 812345\nprocs_running 3\nprocs_blocked 0\n");
        lines.append("softirq 123456789 0 1 2 3 4 5 6 7 8 9\n");
        return lines.toString();
    }

    static String diskstats(int step) {
        StringBuilder s = new StringBuilder();
        String[] names = {"nvme0n1", "nvme0n1p1", "nvme0n1p2", "nvme1n1", "sda", "sda1", "dm-0", "loop0"};
        for (int i = 0; i < names.length; i++) {
            s.append(String.format(
                    Locale.ROOT,
                    "%4d %7d %s 183744 2115 21870738 51043 4217733 1617614 "
                            + "101006232 2386234 0 %d 2583911 0 0 0 0 161823 146633%n",
                    259,
                    i,
                    names[i],
                    1_000_000L + step * (100L + 50 * i)));
        }
        return s.toString();
    }

    static String interrupts(int cpus, int step) {
        StringBuilder s = new StringBuilder(IRQ_LINES * cpus * 11);
        s.append("      ");
        for (int c = 0; c < cpus; c++) {
            s.append(String.format(Locale.ROOT, "%-11s", "CPU" + c));
        }
        s.append('\n');
        for (int irq = 0; irq < IRQ_LINES; irq++) {
            s.append(String.format(Locale.ROOT, "%4d:", irq));
            for (int c = 0; c < cpus; c++) {
                long v = (irq % cpus == c) ? 100_000L + irq + step * 500L : 0;
                s.append(String.format(Locale.ROOT, " %10d", v));
            }
            String action = irq >= 100 && irq < 116
                    ? "mlx5_comp" + (irq - 100) + "@pci:0000:5e:00.0"
                    : irq >= 200 && irq < 264 ? "nvme0q" + (irq - 199) : "irq" + irq;
            s.append("  IR-PCI-MSIX-0000:5e:00.0 ")
                    .append(irq)
                    .append("-edge      ")
                    .append(action)
                    .append('\n');
        }
        for (String named : new String[] {"NMI", "LOC", "SPU", "PMI", "IWI", "RTR", "RES", "CAL", "TLB"}) {
            s.append(named).append(':');
            for (int c = 0; c < cpus; c++) {
                s.append(String.format(Locale.ROOT, " %10d", 1000L * c + step));
            }
            s.append("   ").append(named).append(" interrupts\n");
        }
        s.append("ERR:          0\nMIS:          0\n");
        return s.toString();
    }
}
