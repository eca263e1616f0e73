package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfProcessTest {
    // A real /proc/PID/stat line of a JVM, with a name holding a space and a parenthesis.
    static final String STAT = "4711 (java (main) x) S 1 4711 4711 0 -1 4194560 29391 0 2 0 "
            + "1234 567 0 0 20 0 21 0 345054 3133440 12188 18446744073709551615 1 1 0 0 0 0 0 2 16800972 0 0 0 17 1"
            + " 0 0 0 0 0\n";

    @Test
    void cpuIsUtimePlusStimeInUserHzAndMemoryIsVsizeAndRss() throws Exception {
        SelfProcess.StatFields f = SelfProcess.statFields("/proc/self/stat", STAT);
        assertEquals(18.01, f.cpuSeconds(), 1e-9); // (1234 + 567) / 100
        assertEquals(3133440, f.virtualBytes());
        assertEquals(12188, f.residentPages());
    }

    @Test
    void aLineCutBeforeRssNamesIt() {
        String cut = STAT.substring(0, STAT.indexOf(" 12188"));
        ProcfsFormatException e =
                assertThrows(ProcfsFormatException.class, () -> SelfProcess.statFields("/proc/self/stat", cut));
        assertEquals("/proc/self/stat:1: rss is missing", e.getMessage());
    }

    /** An auxiliary vector as the kernel writes it: (key, value) words, AT_NULL last. */
    static byte[] auxv(boolean wide, ByteOrder order, long... pairs) {
        ByteBuffer b = ByteBuffer.allocate(pairs.length * (wide ? 8 : 4)).order(order);
        for (long w : pairs) {
            if (wide) {
                b.putLong(w);
            } else {
                b.putInt((int) w);
            }
        }
        return b.array();
    }

    @Test
    void thePageSizeIsAtPageszOfTheAuxiliaryVector() {
        // AT_SYSINFO_EHDR 33, AT_HWCAP 16, AT_PAGESZ 6, AT_CLKTCK 17, AT_NULL
        long[] x86 = {33, 0x7ffd1234f000L, 16, 0x178bfbffL, 6, 4096, 17, 100, 0, 0};
        assertEquals(
                4096, SelfProcess.pageSize(auxv(true, ByteOrder.LITTLE_ENDIAN, x86), true, ByteOrder.LITTLE_ENDIAN));
        // a 32-bit big-endian one with 64 KB pages (ppc)
        long[] ppc = {16, 0xdc0065c2L, 6, 65536, 0, 0};
        assertEquals(65536, SelfProcess.pageSize(auxv(false, ByteOrder.BIG_ENDIAN, ppc), false, ByteOrder.BIG_ENDIAN));
        // none given, after AT_NULL, or cut in the middle of its pair: unknown
        assertEquals(
                -1,
                SelfProcess.pageSize(auxv(true, ByteOrder.LITTLE_ENDIAN, 33, 1, 0, 0), true, ByteOrder.LITTLE_ENDIAN));
        assertEquals(
                -1,
                SelfProcess.pageSize(
                        auxv(true, ByteOrder.LITTLE_ENDIAN, 0, 0, 6, 4096), true, ByteOrder.LITTLE_ENDIAN));
        byte[] cut = Arrays.copyOf(auxv(true, ByteOrder.LITTLE_ENDIAN, x86), 40);
        assertEquals(-1, SelfProcess.pageSize(cut, true, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void withAnAuxiliaryVectorMemoryComesFromStatAlone(@TempDir Path self) throws Exception {
        Files.writeString(self.resolve("stat"), STAT);
        Files.write(
                self.resolve("auxv"),
                auxv("64".equals(System.getProperty("sun.arch.data.model")), ByteOrder.nativeOrder(), 6, 16384, 0, 0));
        Files.createDirectory(self.resolve("fd"));
        // no status file: it is not read
        assertEquals(new SelfProcess.Usage(18.01, 12188L * 16384, 3133440, 0), new SelfProcess(self).read());
    }

    @Test
    void aCutLineNamesTheField() {
        ProcfsFormatException e = assertThrows(
                ProcfsFormatException.class,
                () -> SelfProcess.statFields("/proc/self/stat", "4711 (java) S 1 4711 4711 0 -1 4194560 29391\n"));
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
        // the same memory that status says, read just after (the heap may grow a little between)
        SelfStatus status = SelfStatus.parse("status", Files.readString(Path.of("/proc/self/status")));
        assertEquals(status.virtualBytes(), u.virtualBytes(), status.virtualBytes() / 20.0);
        assertEquals(status.residentBytes(), u.residentBytes(), status.residentBytes() / 20.0);
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
