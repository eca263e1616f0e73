package io.github.sysloadexporter.sysload;

/**
 * How one source fared.
 *
 * @param up           its last read or scan succeeded (true before the first one)
 * @param failures     reads or scans that failed as a whole
 * @param skippedLines lines that could not be parsed and were left out, the rest of their
 *                     file still counting
 */
public record SourceHealth(boolean up, long failures, long skippedLines) {
    public static final SourceHealth FRESH = new SourceHealth(true, 0, 0);
}
