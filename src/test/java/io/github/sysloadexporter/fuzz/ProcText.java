package io.github.sysloadexporter.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.ProcfsFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A fuzz input seen as procfs text the way ProcFs's ByteText shows a file: one char per byte
 * (ISO-8859-1), {@code subSequence} returning a String. It counts the chars a parser reads, so a
 * target can check that a parse costs time linear in the input.
 */
final class ProcText implements CharSequence {
    /**
     * Longest input used (64 KiB): above the largest fixture (the 64-CPU /proc/interrupts, 54 KB)
     * and the -max_len that fuzz.sh gives libFuzzer, so a seed or a finding is never cut.
     */
    static final int MAX_LEN = 1 << 16;
    /** Reads per char a linear parser stays under: a handful of passes over each line, plus slack. */
    private static final int READS_PER_CHAR = 32;

    private final byte[] bytes;
    private long reads;

    private ProcText(byte[] bytes) {
        this.bytes = bytes;
    }

    static ProcText of(byte[] input) {
        return new ProcText(input.length > MAX_LEN ? Arrays.copyOf(input, MAX_LEN) : input);
    }

    @Override
    public int length() {
        return bytes.length;
    }

    @Override
    public char charAt(int index) {
        reads++;
        Objects.checkIndex(index, bytes.length);
        return (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        Objects.checkFromToIndex(start, end, bytes.length);
        reads += end - start;
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Lines as TextCursor counts them: each '\n' ends one, and text after the last is one more. */
    int lines() {
        int n = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? n + 1 : n;
    }

    /** Fails if the parser read more than a constant number of chars per input char. */
    void assertLinearReads(String parser) {
        long limit = READS_PER_CHAR * (bytes.length + 1L);
        assertTrue(
                reads <= limit,
                () -> parser + " read " + reads + " chars of a " + bytes.length + "-byte input, more than " + limit
                        + ": not linear");
    }

    /**
     * The declared format exception: names the file given, a line of the input (0: the file as
     * a whole), and has a one-line message, since it goes to the log as one line.
     */
    /** Every kept problem of the skipped lines names the file and its line, in one printable line. */
    void assertWellFormed(io.github.sysloadexporter.procfs.Skipped skipped, String source) {
        assertTrue(
                skipped.count() >= skipped.first().size() && skipped.count() <= lines(),
                () -> skipped.count() + " skipped of " + lines() + " lines");
        for (ProcfsFormatException e : skipped.first()) {
            assertWellFormed(e, source);
            assertTrue(e.line() > 0, () -> "a skipped line without its number: " + e.getMessage());
        }
    }

    void assertWellFormed(ProcfsFormatException e, String source) {
        assertTrue(source.equals(e.source()), () -> "source " + e.source() + ", not " + source);
        assertTrue(
                e.line() >= 0 && e.line() <= lines(),
                () -> "line " + e.line() + " of a " + lines() + "-line input: " + e.getMessage());
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(source + ":"), () -> "message does not name the file: " + m);
        assertTrue(
                m.chars().noneMatch(c -> c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f),
                () -> "message is not one printable line: "
                        + m.replace("\n", "\\n").replace("\r", "\\r"));
    }
}
