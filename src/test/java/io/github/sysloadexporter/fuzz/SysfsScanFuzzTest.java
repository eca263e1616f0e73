package io.github.sysloadexporter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sysloadexporter.detect.DiskDetector;
import io.github.sysloadexporter.detect.Nic;
import io.github.sysloadexporter.detect.NicDetector;
import io.github.sysloadexporter.detect.NicScan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the sysfs scans (NicDetector and DiskDetector) with trees of directories, files and
 * symbolic links (relative, absolute, dangling, looping, to the root) under class/net and block,
 * with device, msi_irqs, hidden and partition entries and odd names: see {@link SysfsTree} for
 * the text an input is. {@code mvn verify} runs it over the seeds in
 * src/test/resources/io/github/sysloadexporter/fuzz/SysfsScanFuzzTestInputs/scan (the fixture
 * hosts' trees and a few odd ones); src/test/fuzz/fuzz.sh fuzzes it.
 *
 * <p>A scan may throw IOException only when its top directory cannot be listed: a device that
 * cannot be read is to be excluded, not to end the scan. Any other exception is a bug.
 */
class SysfsScanFuzzTest {
    /** Longest input read: a tree of {@link SysfsTree#MAX_ENTRIES} entries fits. */
    static final int MAX_LEN = 4096;

    private static final Pattern VIRTIO = Pattern.compile("(virtio|vif)\\d+");
    private static final Pattern PCI = Pattern.compile("\\p{XDigit}{4,}:\\p{XDigit}{2}:\\p{XDigit}{2}\\.[0-7]");

    // tokens for the fuzzer's mutations (fuzzing only; no blanks but spaces: Jazzer 0.24 writes
    // them unescaped into the libFuzzer dictionary, which then fails to parse)
    @DictionaryEntries({
        "class/net/",
        "block/",
        "devices/",
        "/device",
        "msi_irqs/",
        "/msi_irqs/",
        "/hidden",
        "1\\n",
        "/partition",
        "/bridge",
        "/bonding",
        "/tun_flags",
        "../",
        "../../",
        "/",
        "virtio",
        "0000:00:03.0",
        "pci0000:00/",
        "nvme0n1",
        "nvme0c0n1",
        "mmcblk0",
        "loop0",
        "sda",
        "\\x",
        "\\n",
        "2147483648",
        "99999999999"
    })
    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void scan(byte[] input) throws IOException {
        String spec = new String(input, 0, Math.min(input.length, MAX_LEN), StandardCharsets.UTF_8);
        try (SysfsTree tree = SysfsTree.build(spec)) {
            long bound = 4L * (spec.length() + tree.root.toString().length()) + 1024;
            nics(tree, bound);
            disks(tree, bound);
        }
    }

    private static void nics(SysfsTree tree, long bound) {
        NicScan scan = check(
                tree,
                bound,
                "class/net",
                "interface",
                NicDetector::scan,
                s -> Stream.concat(
                                s.nics().stream().map(n -> new Entry(n.name(), n.why())),
                                s.excluded().stream().map(x -> new Entry(x.name(), x.why())))
                        .toList());
        if (scan == null) {
            return;
        }
        for (Nic n : scan.nics()) {
            n.busDevice().ifPresent(v -> assertTrue(VIRTIO.matcher(v).matches(), () -> "bus device " + v));
            n.pciAddress().ifPresent(p -> assertTrue(PCI.matcher(p).matches(), () -> "PCI function " + p));
            for (int irq : n.msiIrqs()) {
                assertTrue(irq >= 0, () -> n.name() + ": negative MSI IRQ " + irq);
            }
        }
    }

    private static void disks(SysfsTree tree, long bound) {
        check(
                tree,
                bound,
                "block",
                "device",
                DiskDetector::scan,
                s -> Stream.concat(
                                s.disks().stream().map(d -> new Entry(d.name(), d.why())),
                                s.excluded().stream().map(x -> new Entry(x.name(), x.why())))
                        .toList());
    }

    /** One name a scan gave, watched or excluded, and why. */
    private record Entry(String name, String why) {}

    private interface Scan<S> {
        S run(Path sysfs) throws IOException;
    }

    /**
     * What both scans promise of their directory: an IOException only when it cannot be listed;
     * otherwise every entry of it once, watched or excluded, each with a reason of bounded length.
     *
     * @return the scan, or null when it (rightly) threw
     */
    private static <S> S check(
            SysfsTree tree,
            long bound,
            String dir,
            String entryKind,
            Scan<S> scanner,
            Function<S, List<Entry>> entries) {
        List<String> listed = list(tree.root.resolve(dir));
        S scan;
        try {
            scan = scanner.run(tree.root);
        } catch (IOException e) {
            if (listed != null) {
                fail("the scan of " + dir + " threw " + e + ", yet it lists: " + listed + "\n" + tree.describe(), e);
            }
            return null;
        }
        if (listed == null) {
            fail("the scan of " + dir + " returned, yet it does not list\n" + tree.describe());
        }
        List<String> seen = new ArrayList<>();
        for (Entry entry : entries.apply(scan)) {
            seen.add(entry.name());
            assertTrue(
                    entry.why() != null && entry.why().length() <= bound,
                    () -> entry.name() + ": reason of " + entry.why().length() + " chars\n" + tree.describe());
        }
        seen.sort(null);
        assertEquals(
                listed,
                seen,
                () -> "every " + entryKind + " of " + dir + ", each once, either watched or excluded\n"
                        + tree.describe());
        return scan;
    }

    /** The sorted names in a directory, or null if it cannot be listed. */
    private static List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return null;
        }
        names.sort(null);
        return names;
    }
}
