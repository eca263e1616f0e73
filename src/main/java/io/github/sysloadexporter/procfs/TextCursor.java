package io.github.sysloadexporter.procfs;

/**
 * Walks a procfs text line by line and token by token without cutting it into substrings:
 * /proc/stat and /proc/interrupts are parsed every second, and the only objects a parse
 * should create are the values it returns. Blanks are spaces and tabs; lines end at '\n'.
 *
 * <p>It walks either a whole text ({@link #nextLine()}) or lines handed to it one at a time
 * ({@link #setLine}), which is how {@link ProcFile} streams a file through a bounded buffer.
 */
final class TextCursor {
    /**
     * Receives the lines of a file, one at a time, positioned at the line's start.
     *
     * @param <E> what it throws when the file as a whole is unusable (an interrupts header,
     *            say): ProcfsFormatException, or RuntimeException for a sink that only skips
     *            bad lines, so that its callers need catch nothing
     */
    interface LineSink<E extends Exception> {
        void line(TextCursor c) throws E;
    }

    /** 2^64-1 divided by 10, and its remainder: the overflow bound of the digit loop. */
    private static final long MAX_DIV_10 = Long.divideUnsigned(-1L, 10);

    private static final int MAX_LAST_DIGIT = (int) Long.remainderUnsigned(-1L, 10);
    /** Longest piece of a bad token quoted in a message: enough to recognise it. */
    private static final int QUOTE_LIMIT = 40;
    /** Hex digits for quoting: String.format per byte made a file of garbage slow to report. */
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String source;
    private CharSequence text;
    private int length;
    private int next;
    /** The current line was longer than the reader's limit and holds only its start. */
    boolean cutShort;

    /** 1-based number of the current line; 0 before the first {@link #nextLine()}. */
    int line;
    /** Position in the current line. */
    int pos;
    /** End (exclusive) of the current line: its '\n' or the end of the text. */
    int lineEnd;

    TextCursor(String source, CharSequence text) {
        this.source = source;
        this.text = text;
        this.length = text.length();
    }

    /** A cursor for lines handed over with {@link #setLine}. */
    TextCursor(String source) {
        this(source, "");
    }

    /** Feeds every line of {@code text} to the sink. */
    static <E extends Exception> void forEachLine(String source, CharSequence text, LineSink<E> sink) throws E {
        TextCursor c = new TextCursor(source, text);
        while (c.nextLine()) {
            sink.line(c);
        }
    }

    /**
     * Makes {@code text[start, end)} the next line (without its '\n'); {@code cutShort} says it
     * was longer than the reader's limit and only its start is here.
     */
    void setLine(CharSequence text, int start, int end, boolean cutShort) {
        this.text = text;
        this.length = end;
        this.next = end;
        this.cutShort = cutShort;
        line++;
        pos = start;
        lineEnd = end;
    }

    /** Moves to the next line; false at the end of the text. */
    boolean nextLine() {
        if (next >= length) {
            return false;
        }
        int i = next;
        while (i < length && text.charAt(i) != '\n') {
            i++;
        }
        line++;
        pos = next;
        lineEnd = i;
        next = i + 1;
        return true;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    void skipBlanks() {
        while (pos < lineEnd && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    boolean atLineEnd() {
        return pos >= lineEnd;
    }

    /** The character at the cursor; only valid when not {@link #atLineEnd()}. */
    char peek() {
        return text.charAt(pos);
    }

    /** True if the current line continues with {@code word}; the cursor does not move. */
    boolean lookingAt(String word) {
        int n = word.length();
        if (lineEnd - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (text.charAt(pos + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #lookingAt} but {@code word} must be followed by a blank or the line end. */
    boolean lookingAtWord(String word) {
        if (!lookingAt(word)) {
            return false;
        }
        int after = pos + word.length();
        return after >= lineEnd || isBlank(text.charAt(after));
    }

    char charAt(int index) {
        return text.charAt(index);
    }

    String substring(int start, int end) {
        return text.subSequence(start, end).toString();
    }

    void advance(int n) {
        pos += n;
    }

    void skipLine() {
        pos = lineEnd;
    }

    /** End of the token that starts at {@code from}: the next blank or the line end. */
    int tokenEnd(int from) {
        int i = from;
        while (i < lineEnd && !isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The token at the cursor as a String; moves past it. */
    String token() {
        int start = pos;
        pos = tokenEnd(start);
        return text.subSequence(start, pos).toString();
    }

    /**
     * Parses the token at the cursor as an unsigned 64-bit decimal (the kernel prints u64 and
     * unsigned long counters; a value above Long.MAX_VALUE comes back negative, as with
     * {@link Long#parseUnsignedLong}). The whole token must be digits.
     *
     * @param what names the field in the error message; pass a constant, it is only used
     *             when the field is bad
     */
    long unsignedNumber(String what) throws ProcfsFormatException {
        int start = pos;
        long value = 0;
        while (pos < lineEnd) {
            char c = text.charAt(pos);
            if (isBlank(c)) {
                break;
            }
            int digit = c - '0';
            if (digit < 0 || digit > 9) {
                throw error(what + " is not a number: " + quote(start, tokenEnd(start)));
            }
            if (Long.compareUnsigned(value, MAX_DIV_10) > 0 || (value == MAX_DIV_10 && digit > MAX_LAST_DIGIT)) {
                throw error(what + " does not fit in 64 bits: " + quote(start, tokenEnd(start)));
            }
            value = value * 10 + digit;
            pos++;
        }
        if (pos == start) {
            throw error(what + " is missing");
        }
        return value;
    }

    /** The rest of the line, blanks at both ends removed. */
    String restTrimmed() {
        int start = pos;
        int end = lineEnd;
        while (start < end && isBlank(text.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(text.charAt(end - 1))) {
            end--;
        }
        pos = lineEnd;
        return text.subSequence(start, end).toString();
    }

    /** A problem on the current line. */
    ProcfsFormatException error(String problem) {
        return new ProcfsFormatException(source, line, problem);
    }

    /** A problem of the file as a whole (something missing), reported without a line. */
    ProcfsFormatException fileError(String problem) {
        return new ProcfsFormatException(source, 0, problem);
    }

    /**
     * Quotes text[start, end) for a message. The text may be anything (a truncated file, the
     * wrong file, binary garbage), so control and non-ASCII bytes are escaped and the quote is
     * cut short: an error line in the log must stay one readable line.
     */
    String quote(int start, int end) {
        StringBuilder sb = new StringBuilder(QUOTE_LIMIT + 8).append('\'');
        int stop = Math.min(end, start + QUOTE_LIMIT);
        for (int i = start; i < stop; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                sb.append(c);
            } else if (c <= 0xff) {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append("\\u")
                        .append(HEX[c >> 12])
                        .append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        if (stop < end) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    /** Like {@link #quote} without the quote marks: text[start, end) as one printable piece. */
    String printable(int start, int end) {
        String q = quote(start, end);
        return q.substring(1, q.length() - 1);
    }

    /** Quotes the token at the cursor. */
    String quoteToken() {
        return quote(pos, tokenEnd(pos));
    }
}
