package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ProcFileTest {

    @Test
    void aRegularFileIsOpenedForEveryReadSoAReplacementOrRemovalIsSeen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stat");
        // empty, it still is no file the kernel generates (those report size 0 too)
        Files.writeString(file, "");
        ProcFile f = new ProcFile(file, 4);
        assertEquals("", f.read().toString());
        assertFalse(f.isKeptOpen());
        Files.writeString(file, "first\n");
        assertEquals("first\n", f.read().toString());
        assertFalse(f.isKeptOpen());

        Path next = dir.resolve("stat.new");
        Files.writeString(next, "second, longer than the buffer\n");
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals("second, longer than the buffer\n", f.read().toString());

        Files.delete(file);
        NoSuchFileException gone = assertThrows(NoSuchFileException.class, f::read);
        assertEquals(file.toString(), gone.getFile());
        Files.writeString(file, "back\n");
        assertEquals("back\n", f.read().toString());
    }

    @Test
    void aReadErrorNamesTheFile(@TempDir Path dir) {
        ProcFile f = new ProcFile(dir, 16); // a directory: EISDIR on read
        IOException e = assertThrows(IOException.class, f::read);
        assertTrue(e.getMessage().startsWith(dir + ": "), e.getMessage());
        assertFalse(f.isKeptOpen());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aProcfsFileIsKeptOpenAndEveryReadGeneratesItAfresh() throws Exception {
        // /proc/self/io counts this process's read calls (syscr), those that read it among
        // them: read again through the one open file, the count has moved on; a read that
        // served the first text again would show the same count.
        Path io = Path.of("/proc/self/io");
        assumeTrue(Files.isReadable(io), "needs a kernel with per-task I/O accounting");
        ProcFile f = new ProcFile(io, 8);
        long first = readCalls(f.read().toString());
        assertTrue(f.isKeptOpen());
        long second = readCalls(f.read().toString());
        assertTrue(f.isKeptOpen());
        assertTrue(second > first, "syscr " + first + ", then " + second);
    }

    private static long readCalls(String io) {
        Matcher m = Pattern.compile("(?m)^syscr: (\\d+)$").matcher(io);
        assertTrue(m.find(), io);
        return Long.parseLong(m.group(1));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aKeptFileLargerThanTheBufferIsReadWholeEachTime() throws Exception {
        // /proc/self/limits is some 1.4 KB and does not change: each read must be all of it.
        Path limits = Path.of("/proc/self/limits");
        String whole = Files.readString(limits);
        ProcFile f = new ProcFile(limits, 16);
        for (int i = 0; i < 3; i++) {
            assertEquals(whole, f.read().toString());
        }
        assertTrue(f.isKeptOpen());
    }

    /** The lines as forEachLine hands them over, a cut one marked with a trailing '~'. */
    static List<String> lines(ProcFile f, int maxLine) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        f.forEachLine(
                new TextCursor("t"), c -> out.add(c.substring(c.pos, c.lineEnd) + (c.cutShort ? "~" : "")), maxLine);
        return out;
    }

    @Test
    void linesUpToTheLimitArriveWholeLongerOnesCutAndTheRestDropped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "abcdefgh\nabcdefghi\nxy\n0123456789abcdef0123456789\nlast");
        // a small buffer that must grow, and one already larger than the limit
        for (int capacity : new int[] {2, 64}) {
            assertEquals(
                    List.of("abcdefgh", "abcdefgh~", "xy", "01234567~", "last"),
                    lines(new ProcFile(file, capacity), 8),
                    "capacity " + capacity);
        }
        assertEquals(
                List.of("abcdefgh", "abcdefghi", "xy", "0123456789abcdef0123456789", "last"),
                lines(new ProcFile(file, 4), 1 << 20));
    }
}
