package io.github.sysloadexporter.procfs;

/**
 * The memory lines of /proc/self/status, for the exporter's process_* metrics.
 *
 * @param residentBytes VmRSS
 * @param virtualBytes  VmSize
 */
public record SelfStatus(long residentBytes, long virtualBytes) {

    /** Parses the status text; a line it lacks (kernel threads have none) reads as -1. */
    public static SelfStatus parse(String source, CharSequence text) throws ProcfsFormatException {
        long rss = -1;
        long size = -1;
        int line = 1;
        int start = 0;
        int n = text.length();
        while (start < n) {
            int end = start;
            while (end < n && text.charAt(end) != '\n') {
                end++;
            }
            if (startsWith(text, start, end, "VmRSS:")) {
                rss = kilobytes(source, line, text, start + 6, end) * 1024;
            } else if (startsWith(text, start, end, "VmSize:")) {
                size = kilobytes(source, line, text, start + 7, end) * 1024;
            }
            start = end + 1;
            line++;
        }
        return new SelfStatus(rss, size);
    }

    private static boolean startsWith(CharSequence text, int start, int end, String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(start + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // "VmRSS:\t   12345 kB"
    private static long kilobytes(String source, int line, CharSequence text, int from, int end)
            throws ProcfsFormatException {
        int i = from;
        while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            v = v * 10 + (text.charAt(i) - '0');
            i++;
            digits++;
        }
        if (digits == 0 || digits > 15) {
            throw new ProcfsFormatException(source, line, "expected a size in kB");
        }
        return v;
    }
}
