package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.IrqLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the NICs to watch under {@code <sysfs>/class/net}: interfaces with a {@code device}
 * link, i.e. backed by hardware (PCI, USB, ...) or by a virtio device.
 */
public final class NicDetector {
    /** Directory name of a virtio device in the device tree. */
    private static final Pattern VIRTIO = Pattern.compile("virtio\\d+");
    /** phys_port_name of a switchdev representor of a VF or SF: pf0vf3, pf0sf88, c1pf0vf2. */
    private static final Pattern REPRESENTOR = Pattern.compile("(c\\d+)?pf\\d+(vf|sf)\\d+");

    /** Directory name of a Xen network frontend: vif-N, whose vectors are named vifN-qK-rx. */
    private static final Pattern XEN_VIF = Pattern.compile("vif-(\\d+)");
    /**
     * A device of IBM Power's VIO bus: /sys/devices/vio/30000003, its unit address in hex
     * (arch/powerpc/platforms/pseries/vio.c, dev_set_name "%x"), which ibmvnic names its
     * vectors after.
     */
    private static final Pattern VIO_UNIT = Pattern.compile("\\p{XDigit}{1,8}");
    /** Directory name of a PCI function: domain (4 or more hex digits, VMD uses 5), bus, slot, function. */
    static final Pattern PCI_FUNCTION = Pattern.compile("\\p{XDigit}{4,}:\\p{XDigit}{2}:\\p{XDigit}{2}\\.[0-7]");

    private NicDetector() {}

    /**
     * Scans {@code <sysfs>/class/net}.
     *
     * @throws IOException if the directory cannot be listed; a single interface that cannot be
     *                     read (it may vanish during the scan) is excluded instead
     */
    public static NicScan scan(Path sysfs) throws IOException {
        List<Nic> nics = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        for (String name : SysfsTree.sortedEntries(sysfs.resolve("class/net"))) {
            try {
                Optional<String> rejection = rejection(sysfs, name);
                if (rejection.isPresent()) {
                    excluded.add(new Excluded(name, rejection.get()));
                } else {
                    nics.add(describe(sysfs, name));
                }
            } catch (IOException e) {
                excluded.add(new Excluded(name, "could not be read: " + e));
            }
        }
        return new NicScan(withSiblings(nics), excluded);
    }

    /** Marks the interfaces that share one PCI function (ports of mlx4, nfp) as siblings. */
    private static List<Nic> withSiblings(List<Nic> nics) {
        List<Nic> out = new ArrayList<>(nics.size());
        for (Nic nic : nics) {
            Set<String> others = new TreeSet<>();
            for (Nic other : nics) {
                if (other != nic
                        && nic.pciAddress().isPresent()
                        && other.pciAddress().equals(nic.pciAddress())) {
                    others.add(other.name());
                }
            }
            out.add(others.isEmpty() ? nic : nic.withSiblings(others));
        }
        return out;
    }

    /** Why an interface is not a NIC to watch, or empty if it is one. */
    private static Optional<String> rejection(Path sysfs, String name) {
        Path dir = sysfs.resolve("class/net").resolve(name);
        // attribute directories/files the kernel creates for these kinds; checked even when a
        // device link exists because they are cheap and unambiguous
        if (Files.isDirectory(dir.resolve("bridge"))) {
            return Optional.of("bridge (has bridge/): its traffic arrives through its ports");
        }
        if (Files.isDirectory(dir.resolve("bonding"))) {
            return Optional.of("bond master (has bonding/): its traffic arrives through its slaves");
        }
        if (Files.exists(dir.resolve("tun_flags"))) {
            return Optional.of("tun/tap (has tun_flags): a user-space interface without IRQs");
        }
        Optional<String> port = physPortName(dir);
        if (port.isPresent() && REPRESENTOR.matcher(port.get()).matches()) {
            return Optional.of("switchdev representor (phys_port_name " + port.get() + "): its traffic is"
                    + " the VF's or SF's, whose interface is watched");
        }
        if (Files.exists(dir.resolve("device"))) {
            return Optional.empty();
        }
        // no device: virtual. Name the kind when the name tells it, for a clearer --info.
        if (name.equals("lo")) {
            return Optional.of("loopback");
        }
        if (name.startsWith("veth")) {
            return Optional.of("veth pair end, no device link");
        }
        if (name.startsWith("ifb")) {
            return Optional.of("ifb (traffic shaping redirect), no device link");
        }
        if (name.startsWith("dummy")) {
            return Optional.of("dummy interface, no device link");
        }
        return Optional.of("no device link: a virtual interface without IRQs of its own");
    }

    /**
     * Describes an interface given by name ({@code -i}), with the other interfaces of its PCI
     * function as siblings, as a scan would find them, so another port's vectors stay its own.
     */
    static Nic describeWithSiblings(Path sysfs, String name) throws IOException {
        Nic nic = describe(sysfs, name);
        if (nic.pciAddress().isEmpty()) {
            return nic;
        }
        Set<String> others = new TreeSet<>();
        for (String other : SysfsTree.sortedEntries(sysfs.resolve("class/net"))) {
            if (!other.equals(name)) {
                try {
                    if (describe(sysfs, other).pciAddress().equals(nic.pciAddress())) {
                        others.add(other);
                    }
                } catch (IOException e) {
                    // gone meanwhile: no sibling
                }
            }
        }
        return others.isEmpty() ? nic : nic.withSiblings(others);
    }

    public static Nic describe(Path sysfs, String name) throws IOException {
        Path device = sysfs.resolve("class/net").resolve(name).resolve("device");
        if (!Files.exists(device)) {
            return new Nic(
                    name,
                    Optional.empty(),
                    Optional.empty(),
                    Set.of(),
                    "no device link: IRQ lines matched by interface name only");
        }
        Path target = device.toRealPath();
        if (target.getFileName() == null) {
            // a link to / (a broken copy of sysfs): no device to name vectors after
            return new Nic(
                    name,
                    Optional.empty(),
                    Optional.empty(),
                    Set.of(),
                    "device link -> /: IRQ lines matched by interface name only");
        }
        String leaf = target.getFileName().toString();
        Optional<String> driver = driver(target);
        Optional<String> busDevice = Optional.empty();
        String busKind = null; // how --info names the bus device
        Path pciFunction = null;
        Matcher vif = XEN_VIF.matcher(leaf);
        if (vif.matches()) {
            busDevice = Optional.of("vif" + vif.group(1));
            busKind = "Xen vif";
        } else if (VIRTIO.matcher(leaf).matches()) {
            busDevice = Optional.of(leaf);
            busKind = "virtio device";
            // virtio-pci puts virtioN under its PCI function; virtio-mmio does not
            Path parent = target.getParent();
            if (parent != null
                    && PCI_FUNCTION.matcher(parent.getFileName().toString()).matches()) {
                pciFunction = parent;
            }
        } else if (PCI_FUNCTION.matcher(leaf).matches()) {
            pciFunction = target;
        } else if (VIO_UNIT.matcher(leaf).matches()
                && SysfsTree.relative(sysfs, target.getParent()).equals("devices/vio")) {
            busDevice = Optional.of(leaf);
            busKind = "VIO device";
        }
        Optional<String> pci =
                Optional.ofNullable(pciFunction).map(p -> p.getFileName().toString());
        Set<Integer> msi = pciFunction == null ? Set.of() : msiIrqs(pciFunction);

        StringBuilder why = new StringBuilder("device link -> ").append(SysfsTree.relative(sysfs, target));
        driver.ifPresent(d -> why.append(", driver ").append(d));
        if (busKind != null) {
            why.append(", ").append(busKind).append(' ').append(busDevice.orElseThrow());
        }
        pci.ifPresent(p -> why.append(", PCI function ").append(p));
        if (pciFunction != null) {
            why.append(msi.isEmpty() ? ", no MSI vectors" : ", MSI IRQs " + new TreeSet<>(msi));
        }
        return new Nic(name, driver, busDevice, pci, msi, Set.of(), why.toString());
    }

    /** An interface's phys_port_name, if its driver has one (the read fails with EOPNOTSUPP otherwise). */
    private static Optional<String> physPortName(Path dir) {
        return SysfsTree.attribute(dir.resolve("phys_port_name"));
    }

    /** The driver bound to the device: the name its {@code driver} link points to. */
    private static Optional<String> driver(Path device) {
        try {
            return Optional.of(
                    device.resolve("driver").toRealPath().getFileName().toString());
        } catch (IOException e) {
            return Optional.empty(); // unbound, or a sysfs copy without the link
        }
    }

    /** The entries of {@code msi_irqs/}: one per MSI/MSI-X vector, named by its IRQ number. */
    private static Set<Integer> msiIrqs(Path pciFunction) throws IOException {
        Path dir = pciFunction.resolve("msi_irqs");
        if (!Files.isDirectory(dir)) {
            // INTx-only devices, or a driver that has not enabled MSI
            return Set.of();
        }
        Set<Integer> irqs = new TreeSet<>();
        for (String entry : SysfsTree.sortedEntries(dir)) {
            // anything but an IRQ number is no entry the kernel made
            if (IrqLine.isIrqNumber(entry)) {
                irqs.add(Integer.parseInt(entry));
            }
        }
        return irqs;
    }

    /** True if the interface exists in class/net (as a link or directory, even if dangling). */
    static boolean isInterface(Path sysfs, String name) {
        return !name.isEmpty()
                && !name.contains("/")
                && !name.equals(".")
                && !name.equals("..")
                && Files.exists(sysfs.resolve("class/net").resolve(name), LinkOption.NOFOLLOW_LINKS);
    }
}
