package io.github.sysloadexporter.procfs;

/**
 * A procfs or sysfs file that does not have the format we expect. The message names the
 * file and, where there is one, the 1-based line, so an operator can look at it. Thrown for
 * a file that is unusable as a whole; a single bad line is skipped and kept, as one of these,
 * in the parse result's {@link Skipped}.
 */
public final class ProcfsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    public ProcfsFormatException(String source, int line, String problem) {
        // No stack trace: a skipped line is kept as a value, and the message says everything.
        super(line > 0 ? source + ":" + line + ": " + problem : source + ": " + problem, null, false, false);
        this.source = source;
        this.line = line;
    }

    /** The file, as the caller named it (e.g. {@code /proc/stat}). */
    public String source() {
        return source;
    }

    /** 1-based line number, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}
