package io.github.sysloadexporter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sysloadexporter.detect.Disk;
import io.github.sysloadexporter.detect.DiskDetector;
import io.github.sysloadexporter.detect.DiskScan;
import io.github.sysloadexporter.detect.Excluded;
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
import java.util.regex.Pattern;
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
        Path top = tree.root.resolve("class/net");
        List<String> listed = list(top);
        NicScan scan;
        try {
            scan = NicDetector.scan(tree.root);
        } catch (IOException e) {
            if (listed != null) {
                fail("NicDetector.scan threw " + e + ", yet class/net lists: " + listed + "\n" + tree.describe(), e);
            }
            return;
        }
        if (listed == null) {
            fail("NicDetector.scan returned, yet class/net does not list\n" + tree.describe());
        }
        List<String> seen = new ArrayList<>();
        for (Nic n : scan.nics()) {
            seen.add(n.name());
            n.busDevice().ifPresent(v -> assertTrue(VIRTIO.matcher(v).matches(), () -> "bus device " + v));
            n.pciAddress().ifPresent(p -> assertTrue(PCI.matcher(p).matches(), () -> "PCI function " + p));
            for (int irq : n.msiIrqs()) {
                assertTrue(irq >= 0, () -> n.name() + ": negative MSI IRQ " + irq);
            }
            assertTrue(
                    n.why() != null && n.why().length() <= bound,
                    () -> n.name() + ": reason of " + n.why().length() + " chars\n" + tree.describe());
        }
        for (Excluded x : scan.excluded()) {
            seen.add(x.name());
            assertTrue(
                    x.why() != null && x.why().length() <= bound,
                    () -> x.name() + ": reason of " + x.why().length() + " chars\n" + tree.describe());
        }
        seen.sort(null);
        assertEquals(
                listed,
                seen,
                () -> "every interface of class/net, each once, either watched or excluded\n" + tree.describe());
    }

    private static void disks(SysfsTree tree, long bound) {
        Path top = tree.root.resolve("block");
        List<String> listed = list(top);
        DiskScan scan;
        try {
            scan = DiskDetector.scan(tree.root);
        } catch (IOException e) {
            if (listed != null) {
                fail("DiskDetector.scan threw " + e + ", yet block lists: " + listed + "\n" + tree.describe(), e);
            }
            return;
        }
        if (listed == null) {
            fail("DiskDetector.scan returned, yet block does not list\n" + tree.describe());
        }
        List<String> seen = new ArrayList<>();
        for (Disk d : scan.disks()) {
            seen.add(d.name());
            assertTrue(
                    d.why() != null && d.why().length() <= bound,
                    () -> d.name() + ": reason of " + d.why().length() + " chars\n" + tree.describe());
        }
        for (Excluded x : scan.excluded()) {
            seen.add(x.name());
            assertTrue(
                    x.why() != null && x.why().length() <= bound,
                    () -> x.name() + ": reason of " + x.why().length() + " chars\n" + tree.describe());
        }
        seen.sort(null);
        assertEquals(
                listed, seen, () -> "every device of block, each once, either watched or excluded\n" + tree.describe());
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
