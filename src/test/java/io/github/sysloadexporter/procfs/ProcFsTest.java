package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sysloadexporter.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @Test
    void readsTheVirtioGuestTree() throws Exception {
        Path root = Fixtures.path("virtio-2cpu/proc");
        ProcFs fs = new ProcFs(root);
        assertEquals(root, fs.root());
        ProcStat stat = fs.stat();
        assertEquals(72293, stat.total().idle());
        assertEquals(337546, stat.interrupts().getAsLong());
        assertEquals(
                9180,
                fs.diskStats().disks().stream()
                        .filter(d -> d.name().equals("vda"))
                        .findFirst()
                        .orElseThrow()
                        .ioTicksMs());
        Interrupts in = fs.interrupts();
        assertArrayEquals(new int[] {0, 1}, in.cpuIds());
        assertEquals(
                List.of("virtio2-input.0"),
                in.lines().stream()
                        .filter(l -> l.irq().equals("38"))
                        .findFirst()
                        .orElseThrow()
                        .actions());
    }

    @Test
    void readsTheMetalTrees() throws Exception {
        ProcFs fs = new ProcFs(Fixtures.path("metal-64cpu/proc"));
        assertEquals(64, fs.stat().perCpu().size());
        assertEquals(8, fs.diskStats().disks().size());
        assertEquals(64, fs.interrupts().cpuIds().length);

        ProcFs offline = new ProcFs(Fixtures.path("metal-64cpu-offline/proc"));
        assertEquals(63, offline.stat().perCpu().size());
        assertEquals(63, offline.interrupts().cpuIds().length);
        assertEquals(8, offline.diskStats().disks().size());
    }

    @Test
    void errorsNameTheFullPath() throws Exception {
        Path root = Fixtures.path("malformed/stat-truncated-cpu-line");
        ProcfsFormatException e = new ProcFs(root).stat().skipped().first().get(0);
        assertEquals(root.resolve("stat").toString(), e.source());
        assertEquals(
                root.resolve("stat") + ":3: cpu1 line has 4 numbers, at least 7 expected" + " (user .. softirq)",
                e.getMessage());

        Path disks = Fixtures.path("malformed/diskstats-truncated-line");
        e = new ProcFs(disks).diskStats().skipped().first().get(0);
        assertEquals(disks.resolve("diskstats").toString(), e.source());
        assertEquals(5, e.line());

        Path irqs = Fixtures.path("malformed/interrupts-no-header");
        e = assertThrows(ProcfsFormatException.class, () -> new ProcFs(irqs).interrupts());
        assertEquals(irqs.resolve("interrupts").toString(), e.source());
        assertEquals(1, e.line());
    }

    @Test
    void missingFileIsAnIoError(@TempDir Path empty) {
        assertThrows(NoSuchFileException.class, () -> new ProcFs(empty).stat());
    }

    @Test
    void nonUtf8BytesReachTheParser(@TempDir Path root) throws IOException {
        // 0xff would stop a UTF-8 decoder with an exception that names no line
        Files.write(root.resolve("stat"), new byte[] {'c', 'p', 'u', ' ', '1', (byte) 0xff, '\n'});
        ProcfsFormatException e = assertThrows(
                ProcfsFormatException.class, () -> new ProcFs(root).stat()); // the aggregate line's own problem
        assertEquals(root.resolve("stat") + ":1: user is not a number: '1\\xff'", e.getMessage());
    }

    /** /proc files report size 0: reading must go to end of file, not trust the size. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void readsTheLiveProcToEndOfFile() throws Exception {
        Path proc = Path.of("/proc");
        assumeTrue(
                Files.isReadable(proc.resolve("stat")) && Files.size(proc.resolve("stat")) == 0,
                "needs a procfs whose files report size 0");
        ProcFs fs = new ProcFs(proc);
        ProcStat stat = fs.stat();
        assertFalse(stat.perCpu().isEmpty());
        Interrupts in = fs.interrupts();
        // both list the online CPUs (a CPU hotplugged between the two reads would break this)
        assertEquals(
                List.copyOf(stat.perCpu().keySet()),
                Arrays.stream(in.cpuIds()).boxed().collect(Collectors.toList()));
        assertFalse(in.lines().isEmpty());
    }

    @Test
    void aReadErrorNamesTheFile(@TempDir Path root) throws Exception {
        Files.createDirectory(root.resolve("stat")); // opens, but read() fails: EISDIR
        IOException e = assertThrows(IOException.class, () -> new ProcFs(root).stat());
        assertTrue(e.getMessage().startsWith(root.resolve("stat") + ": "), e.getMessage());
    }
}
