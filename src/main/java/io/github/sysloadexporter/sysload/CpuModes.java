package io.github.sysloadexporter.sysload;

/**
 * Share of CPU time per mode over one interval, in percent; the seven add up to 100. Mode
 * names follow the original sysload: wio is iowait, intr is irq, sintr is softirq.
 */
public record CpuModes(double user, double nice, double system, double idle, double wio, double intr, double sintr) {

    /** What we report before any interval has been measured. */
    public static final CpuModes ALL_IDLE = new CpuModes(0, 0, 0, 100, 0, 0, 0);

    /** Utilisation as sysload defines it: everything but idle (iowait counts as busy). */
    public double busy() {
        return Percent.clamp(100.0 - idle);
    }

    /** The share that says a NIC keeps these CPUs busy: irq + softirq + system. */
    public double interruptShare() {
        return Percent.clamp(intr + sintr + system);
    }
}
