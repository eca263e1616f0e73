package io.github.sysloadexporter.metrics;

import java.io.Writer;
import java.util.Arrays;

/**
 * A Writer that encodes straight into a growing byte array as UTF-8. simpleclient writes the
 * text format a character at a time (label values, HELP texts): an OutputStreamWriter wraps
 * every such call in a new CharBuffer, and a StringWriter copies everything twice more (its
 * buffer, the String, its bytes). JMH's RenderBench measures the three ways (time and
 * garbage: README, Resource use).
 * A lone surrogate becomes '?', as the JDK's encoder makes it.
 */
final class Utf8Buffer extends Writer {
    private byte[] bytes;
    private int length;
    private char highSurrogate;

    Utf8Buffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void write(int c) {
        put((char) c);
    }

    @Override
    public void write(char[] chars, int off, int len) {
        for (int i = off; i < off + len; i++) {
            put(chars[i]);
        }
    }

    @Override
    public void write(String s) {
        write(s, 0, s.length());
    }

    @Override
    public void write(String s, int off, int len) {
        for (int i = off; i < off + len; i++) {
            put(s.charAt(i));
        }
    }

    @Override
    public Writer append(char c) {
        put(c);
        return this;
    }

    @Override
    public Writer append(CharSequence s) {
        return append(s, 0, s.length());
    }

    @Override
    public Writer append(CharSequence s, int start, int end) {
        for (int i = start; i < end; i++) {
            put(s.charAt(i));
        }
        return this;
    }

    private void put(char c) {
        if (highSurrogate != 0) {
            char high = highSurrogate;
            highSurrogate = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(high, c);
                room(4);
                bytes[length++] = (byte) (0xf0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3f);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3f);
                bytes[length++] = (byte) (0x80 | cp & 0x3f);
                return;
            }
            room(1);
            bytes[length++] = '?';
        }
        if (c < 0x80) {
            room(1);
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            room(2);
            bytes[length++] = (byte) (0xc0 | c >> 6);
            bytes[length++] = (byte) (0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c)) {
            highSurrogate = c;
        } else if (Character.isLowSurrogate(c)) {
            room(1);
            bytes[length++] = '?';
        } else {
            room(3);
            bytes[length++] = (byte) (0xe0 | c >> 12);
            bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
            bytes[length++] = (byte) (0x80 | c & 0x3f);
        }
    }

    private void room(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }

    /** What was written, as a new array of exactly that length. */
    byte[] toByteArray() {
        flush();
        return Arrays.copyOf(bytes, length);
    }

    /** A high surrogate still waiting for its pair is written as '?'. */
    @Override
    public void flush() {
        if (highSurrogate != 0) {
            highSurrogate = 0;
            room(1);
            bytes[length++] = '?';
        }
    }

    @Override
    public void close() {
        flush();
    }
}
