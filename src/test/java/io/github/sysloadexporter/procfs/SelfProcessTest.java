package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfProcessTest {
    // A real /proc/PID/stat line of a JVM, with a name holding a space and a parenthesis.
    static final String STAT = "4711 (java (main) x) S 1 4711 4711 0 -1 4194560 29391 0 2 0 "
            + "1234 567 0 0 20 0 21 0 345054 3133440 12188 18446744073709551615 1 1 0 0 0 0 0 2 16800972 0 0 0 17 1"
            + " 0 0 0 0 0\n";

    @Test
    void cpuIsUtimePlusStimeInUserHz() throws Exception {
        assertEquals(18.01, SelfProcess.cpuSeconds("/proc/self/stat", STAT), 1e-9); // (1234 + 567) / 100
    }

    @Test
    void aCutLineNamesTheField() {
        ProcfsFormatException e = assertThrows(
                ProcfsFormatException.class,
                () -> SelfProcess.cpuSeconds("/proc/self/stat", "4711 (java) S 1 4711 4711 0 -1 4194560 29391\n"));
        assertEquals("/proc/self/stat:1: utime is missing", e.getMessage());
    }

    @Test
    void readsAProcDirectory(@TempDir Path self) throws Exception {
        Files.writeString(self.resolve("stat"), STAT);
        Files.writeString(self.resolve("status"), "Name:\tjava\nVmSize:\t 3000000 kB\nVmRSS:\t   48016 kB\n");
        Files.createDirectory(self.resolve("fd"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(self.resolve("fd").resolve(Integer.toString(i)), "");
        }
        Files.writeString(
                self.resolve("limits"),
                "Limit                     Soft Limit           Hard Limit"
                        + "           Units     \nMax open files            20000                524288               files     \n");
        SelfProcess p = new SelfProcess(self);
        assertEquals(new SelfProcess.Usage(18.01, 48016L * 1024, 3000000L * 1024, 3), p.read());
        assertEquals(20000, p.maxFds());
    }

    @Test
    void theRealSelf() throws Exception {
        SelfProcess.Usage u = new SelfProcess(Path.of("/proc/self")).read();
        assertTrue(u.cpuSeconds() > 0 && u.residentBytes() > 1 << 20 && u.openFds() > 2, u.toString());
    }

    /**
     * Other threads of this JVM (clients and servers of other tests, the cleaner) open and close
     * descriptors too, so an attempt that one of them disturbs is taken again: the count must be
     * exact in one of a few.
     */
    @Test
    void theCurrentProcessCountsItsDescriptors(@TempDir Path dir) throws Exception {
        SelfProcess current = SelfProcess.current();
        Path file = Files.writeString(dir.resolve("f"), "x");
        List<String> attempts = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            long before = current.read().openFds();
            long listed;
            try (var entries = Files.list(Path.of("/proc/self/fd"))) {
                listed = entries.count();
            }
            long during;
            try (var open = java.nio.channels.FileChannel.open(file)) {
                during = current.read().openFds();
            }
            long after = current.read().openFds();
            // A listing holds one or two descriptors of its own while it runs (the JDK dups one).
            if (listed - 2 <= before && before <= listed && during == before + 1 && after == before) {
                return;
            }
            attempts.add(before + " counted, " + listed + " listed, " + during + " with one more open, " + after
                    + " after closing it");
        }
        fail("never exact: " + attempts);
    }

    @Test
    void statusMemoryLinesInBytesAndAMissingLineIsMinusOne() throws Exception {
        assertEquals(
                new SelfStatus(48016L * 1024, -1),
                SelfStatus.parse("/proc/self/status", "Name:\tjava\nVmRSS:\t   48016 kB\nThreads:\t18\n"));
        ProcfsFormatException e = assertThrows(
                ProcfsFormatException.class,
                () -> SelfStatus.parse("/proc/self/status", "Name:\tjava\nVmRSS:\t  kB\n"));
        assertEquals("/proc/self/status:2: VmRSS: is not a number: 'kB'", e.getMessage());
    }
}
