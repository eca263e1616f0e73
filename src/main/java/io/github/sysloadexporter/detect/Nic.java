package io.github.sysloadexporter.detect;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network interface backed by a device, as found under {@code class/net}.
 *
 * @param name       the interface name, e.g. {@code eth0}
 * @param driver     the driver bound to its device ({@code device/driver}), e.g. {@code ena};
 *                   it says how the IRQ vectors are named ({@link DriverTable})
 * @param busDevice  the bus device its vectors are named after instead of the interface:
 *                   virtio's {@code virtio2}, Xen's {@code vif0}
 * @param pciAddress the PCI function behind it, e.g. {@code 0000:5e:00.0}; mlx5 puts it in
 *                   its IRQ names
 * @param msiIrqs    the IRQ numbers listed in that PCI function's {@code msi_irqs/}
 * @param siblings   other interfaces of the same PCI function (mlx4's and nfp's ports)
 * @param why        how it was found, for {@code --info}
 */
public record Nic(
        String name,
        Optional<String> driver,
        Optional<String> busDevice,
        Optional<String> pciAddress,
        Set<Integer> msiIrqs,
        Set<String> siblings,
        String why) {
    public Nic {
        // sorted so that --info and test failures list the vectors in order
        msiIrqs = Collections.unmodifiableSortedSet(new TreeSet<>(msiIrqs));
        siblings = Collections.unmodifiableSortedSet(new TreeSet<>(siblings));
    }

    /** A NIC whose driver is not known and that shares its device with no other interface. */
    public Nic(String name, Optional<String> busDevice, Optional<String> pciAddress, Set<Integer> msiIrqs, String why) {
        this(name, Optional.empty(), busDevice, pciAddress, msiIrqs, Set.of(), why);
    }

    /** The same NIC with its sibling interfaces. */
    Nic withSiblings(Set<String> others) {
        return new Nic(name, driver, busDevice, pciAddress, msiIrqs, others, why);
    }

    /** The driver the vector names follow: the bound one, else virtio_net for a virtio device. */
    Optional<String> namingDriver() {
        if (driver.isPresent()) {
            return driver;
        }
        return busDevice.filter(d -> d.startsWith("virtio")).map(d -> "virtio_net");
    }
}
