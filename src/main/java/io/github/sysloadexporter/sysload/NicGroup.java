package io.github.sysloadexporter.sysload;

import java.util.Set;

/**
 * A NIC and the CPUs that currently service its receive interrupts. An empty set means none
 * are known yet (no receive interrupt seen): the group is then the aggregate cpu line, as
 * for a NIC whose interrupts are spread over every CPU.
 */
public record NicGroup(String nic, Set<Integer> cpus) {
    public NicGroup {
        cpus = Set.copyOf(cpus);
    }
}
