package io.github.sysloadexporter.detect;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network interface backed by a device, as found under {@code class/net}.
 *
 * @param name         the interface name, e.g. {@code eth0}
 * @param virtioDevice the virtio device its {@code device} link points to, e.g. {@code virtio2};
 *                     its IRQ lines are named after it, not after the interface
 * @param pciAddress   the PCI function behind it, e.g. {@code 0000:5e:00.0}; mlx5 puts it in
 *                     its IRQ names
 * @param msiIrqs      the IRQ numbers listed in that PCI function's {@code msi_irqs/}
 * @param why          how it was found, for {@code --info}
 */
public record Nic(String name, Optional<String> virtioDevice, Optional<String> pciAddress,
                  Set<Integer> msiIrqs, String why) {
    public Nic {
        // sorted so that --info and test failures list the vectors in order
        msiIrqs = Collections.unmodifiableSortedSet(new TreeSet<>(msiIrqs));
    }
}
