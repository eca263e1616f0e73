package io.github.sysloadexporter.testing;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Test data: the fixture hosts under src/test/resources/fixtures (its README says what each
 * is), and /proc/interrupts lines built by hand for what no host shows.
 *
 * <p>The trees are read in place from the source tree, not from target/test-classes: Maven's
 * resource copy follows symlinks and would unroll the sysfs loops (virtio2/net/eth0/device
 * points back at virtio2), which is why the pom does not copy them.
 */
public final class Fixtures {
    private static final Path ROOT = Repository.path("src/test/resources/fixtures");

    private Fixtures() {}

    /** The directory that holds every fixture host. */
    public static Path root() {
        return ROOT;
    }

    /** {@code fixtures/<relative>}, which must exist: a mistyped name fails here, not later as "no such file". */
    public static Path path(String relative) {
        Path p = ROOT.resolve(relative);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("no fixture " + p);
        }
        return p;
    }

    /** A host's procfs root, for --path.procfs or ProcFs. */
    public static Path procfs(String host) {
        return path(host + "/proc");
    }

    /** A host's sysfs root, for --path.sysfs or the detectors. */
    public static Path sysfs(String host) {
        return path(host + "/sys");
    }

    /** The text of one fixture file, decoded as ProcFs decodes it (one char per byte). */
    public static String text(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A host's /proc/interrupts, every line with its counts, read as the daemon reads it. */
    public static Interrupts interrupts(String host) {
        try {
            return new ProcFs(procfs(host)).interrupts();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProcfsFormatException e) {
            throw new IllegalStateException("fixture " + host + " does not parse", e);
        }
    }

    /** A numbered line as the kernel prints it: chip, hwirq and type, then the actions. */
    public static IrqLine line(String irq, long[] counts, String chip, String... actions) {
        return new IrqLine(irq, counts, chip + "   " + String.join(", ", actions), List.of(actions));
    }

    /** CPU ids 0 .. n-1, as the header of a host with n CPUs online. */
    public static int[] cpus(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    /** Counts for {@code n} CPUs, all zero but {@code value} on {@code cpu}. */
    public static long[] on(int n, int cpu, long value) {
        long[] counts = new long[n];
        counts[cpu] = value;
        return counts;
    }

    /** Counts, one per CPU. */
    public static long[] c(long... counts) {
        return counts;
    }
}
