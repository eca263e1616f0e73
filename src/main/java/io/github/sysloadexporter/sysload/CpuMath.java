package io.github.sysloadexporter.sysload;

import io.github.sysloadexporter.procfs.Counters;
import io.github.sysloadexporter.procfs.CpuTimes;
import java.util.Collection;
import java.util.SortedMap;

/**
 * CPU mode shares between two /proc/stat readings. The total is the sum of the first seven
 * fields (user nice system idle iowait irq softirq): steal and guest are not in it, as in the
 * original sysload. Each field's delta is taken on its own, so a wrapped or reset counter
 * costs that field, never the sign of the result.
 */
final class CpuMath {
    private CpuMath() {}

    /** Accumulates per-field deltas over one or more CPUs. */
    static final class Deltas {
        long user;
        long nice;
        long system;
        long idle;
        long iowait;
        long irq;
        long softirq;

        void add(CpuTimes prev, CpuTimes cur) {
            user += Counters.delta(prev.user(), cur.user());
            nice += Counters.delta(prev.nice(), cur.nice());
            system += Counters.delta(prev.system(), cur.system());
            idle += Counters.delta(prev.idle(), cur.idle());
            iowait += Counters.delta(prev.iowait(), cur.iowait());
            irq += Counters.delta(prev.irq(), cur.irq());
            softirq += Counters.delta(prev.softirq(), cur.softirq());
        }

        long total() {
            return user + nice + system + idle + iowait + irq + softirq;
        }

        /** The shares, or null when no tick passed (two reads within the same jiffy). */
        CpuModes modes() {
            long t = total();
            if (t <= 0) {
                return null;
            }
            return new CpuModes(
                    Percent.of(user, t),
                    Percent.of(nice, t),
                    Percent.of(system, t),
                    Percent.of(idle, t),
                    Percent.of(iowait, t),
                    Percent.of(irq, t),
                    Percent.of(softirq, t));
        }
    }

    /** Shares of one line (the aggregate, typically); null when no tick passed. */
    static CpuModes modes(CpuTimes prev, CpuTimes cur) {
        Deltas d = new Deltas();
        d.add(prev, cur);
        return d.modes();
    }

    /**
     * Shares of a group of CPUs taken together. A CPU missing from either reading (offline,
     * or a truncated file) is left out of this interval. Null when nothing is left.
     */
    static CpuModes groupModes(
            SortedMap<Integer, CpuTimes> prev, SortedMap<Integer, CpuTimes> cur, Collection<Integer> cpus) {
        Deltas d = new Deltas();
        for (Integer cpu : cpus) {
            CpuTimes p = prev.get(cpu);
            CpuTimes c = cur.get(cpu);
            if (p != null && c != null) {
                d.add(p, c);
            }
        }
        return d.modes();
    }
}
