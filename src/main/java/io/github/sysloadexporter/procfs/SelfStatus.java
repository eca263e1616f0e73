package io.github.sysloadexporter.procfs;

/**
 * The memory lines of /proc/self/status, for the exporter's process_* metrics.
 *
 * @param residentBytes VmRSS
 * @param virtualBytes  VmSize
 */
public record SelfStatus(long residentBytes, long virtualBytes) {
    /** Above this many kB the value in bytes would not fit in a long. */
    private static final long MAX_KB = Long.MAX_VALUE / 1024;

    /** Parses the status text; a line it lacks (kernel threads have none) reads as -1. */
    public static SelfStatus parse(String source, CharSequence text) throws ProcfsFormatException {
        long rss = -1;
        long size = -1;
        TextCursor c = new TextCursor(source, text);
        while (c.nextLine()) {
            if (c.lookingAt("VmRSS:")) {
                rss = bytes(c, "VmRSS:");
            } else if (c.lookingAt("VmSize:")) {
                size = bytes(c, "VmSize:");
            }
        }
        return new SelfStatus(rss, size);
    }

    // "VmRSS:\t   12345 kB"
    private static long bytes(TextCursor c, String key) throws ProcfsFormatException {
        c.advance(key.length());
        c.skipBlanks();
        long kb = c.unsignedNumber(key);
        if (kb < 0 || kb > MAX_KB) {
            throw c.error(key + " is too large for a size in kB");
        }
        return kb * 1024;
    }
}
