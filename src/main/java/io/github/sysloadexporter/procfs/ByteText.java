package io.github.sysloadexporter.procfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A file's bytes read into a buffer that is kept from one read to the next, seen as text: the
 * sampler reads the same /proc files every second, and a fresh byte[] and String each time
 * would be most of what a tick allocates. One char per byte (ISO-8859-1): procfs text is
 * ASCII, and a garbage byte reaches the parser, which names its line, instead of failing to
 * decode. Not thread-safe: one reader owns it.
 */
final class ByteText implements CharSequence {
    /**
     * Most a read asks of the kernel at once, the size of {@link #io}. A procfs file of the
     * sampler's comes in one read of it, and reports its end in a second.
     */
    static final int READ_SIZE = 8192;

    private byte[] bytes;
    private int length;
    /**
     * Where the kernel writes. The JDK reads into a heap buffer through a temporary direct
     * buffer of the thread's, then copies: a direct buffer of our own skips that lookup and
     * return, which cost more each second than the copy that remains (README, Resource use).
     */
    private final ByteBuffer io;

    ByteText(int initialCapacity) {
        bytes = new byte[initialCapacity];
        io = ByteBuffer.allocateDirect(Math.min(initialCapacity, READ_SIZE));
    }

    /**
     * Reads at {@code offset} of the file into bytes[at..] at most what is left there (room
     * there is assumed); returns the count, -1 at EOF. A positional read returns -1 at EOF,
     * never 0 while there is room.
     */
    private int readAt(FileChannel in, long offset, int at) throws IOException {
        io.clear().limit(Math.min(io.capacity(), bytes.length - at));
        int n = in.read(io, offset);
        if (n > 0) {
            io.flip().get(bytes, at, n);
        }
        return n;
    }

    /**
     * Replaces the content with the whole of what the channel reads from offset 0 to EOF
     * (procfs files report size 0, so the size is no guide). Reading at an explicit offset
     * with pread leaves the channel usable for the next read: for a seq_file of procfs, a read
     * at offset 0 makes the kernel generate the content afresh.
     */
    void readFrom(FileChannel in) throws IOException {
        int end = 0;
        int n;
        while ((n = readAt(in, end, end)) >= 0) {
            end += n;
            if (end == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
        }
        length = end;
    }

    /**
     * Streams the channel from offset 0 to EOF through this buffer, handing each line to the
     * sink, so that a file of any size costs at most {@code maxLine} bytes of buffer. A line
     * longer than that is handed over cut short (its first {@code maxLine} bytes, flagged) and
     * the rest of it is dropped. The cursor's positions are valid only during the call.
     */
    <E extends Exception> void readLines(FileChannel in, TextCursor cursor, TextCursor.LineSink<E> sink, int maxLine)
            throws IOException, E {
        long offset = 0;
        int start = 0; // of the line not yet handed over
        int end = 0;
        boolean dropping = false; // inside the rest of an over-long line
        while (true) {
            if (end == bytes.length) {
                if (start > 0) {
                    System.arraycopy(bytes, start, bytes, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    // the pending line is at most maxLine long (else it was cut below)
                    bytes = Arrays.copyOf(bytes, Math.max(bytes.length + 1, Math.min(maxLine + 1, bytes.length * 2)));
                }
            }
            int n = readAt(in, offset, end);
            if (n < 0) {
                break;
            }
            offset += n;
            int from = end;
            end += n;
            length = end;
            for (int i = from; i < end; i++) {
                if (bytes[i] == '\n') {
                    if (dropping) {
                        dropping = false;
                    } else {
                        handOver(cursor, sink, start, i, maxLine);
                    }
                    start = i + 1;
                }
            }
            if (dropping) {
                start = end;
            } else if (end - start > maxLine) {
                handOver(cursor, sink, start, end, maxLine);
                dropping = true;
                start = end;
            }
        }
        if (start < end && !dropping) {
            handOver(cursor, sink, start, end, maxLine);
        }
    }

    /** Hands text[start, end) to the sink as a line, cut to maxLine bytes and flagged if longer. */
    private <E extends Exception> void handOver(
            TextCursor cursor, TextCursor.LineSink<E> sink, int start, int end, int maxLine) throws E {
        boolean cut = end - start > maxLine;
        int stop = cut ? start + maxLine : end;
        length = Math.max(length, stop);
        cursor.setLine(this, start, stop, cut);
        sink.line(cursor);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (bytes[index] & 0xff);
    }

    /** Returns a String (the parsers keep what they cut out beyond this read). */
    @Override
    public CharSequence subSequence(int start, int end) {
        return toString(start, end);
    }

    String toString(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException(start + ".." + end);
        }
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return toString(0, length);
    }
}
