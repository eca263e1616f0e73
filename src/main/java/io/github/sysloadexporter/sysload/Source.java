package io.github.sysloadexporter.sysload;

/** What the sampler reads, each of which can fail on its own. */
public enum Source {
    /** /proc/stat: the one source without which there is no sample. */
    STAT("stat"),
    /** /proc/diskstats: without it, no disk candidate in that interval. */
    DISKSTATS("diskstats"),
    /** /proc/interrupts: without it, the NICs' last known CPU groups are kept. */
    INTERRUPTS("interrupts"),
    /** The scan of class/net and block under the sysfs root: without it, the last targets are kept. */
    SYSFS("sysfs");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    /** The {@code source} label value. */
    public String label() {
        return label;
    }
}
