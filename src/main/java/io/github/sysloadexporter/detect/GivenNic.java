package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A name given with {@code -i}, resolved once for the sampler, {@code --info} and the start-up
 * warnings alike: an interface in {@code class/net} is described as a scan would describe it
 * (with the other interfaces of its PCI function); any other name is a pattern that selects
 * the lines with an action containing it, as the original did (e.g. {@code virtio2-input}).
 *
 * @param name  as given
 * @param iface the interface of that name, or empty when the name is a pattern
 */
public record GivenNic(String name, Optional<Nic> iface) {
    public static GivenNic resolve(Path sysfs, String name) throws IOException {
        return new GivenNic(
                name,
                NicDetector.isInterface(sysfs, name)
                        ? Optional.of(NicDetector.describeWithSiblings(sysfs, name))
                        : Optional.empty());
    }

    /** The receive lines it stands for among {@code interrupts}, in their order. */
    public List<IrqChoice> receiveIrqs(Interrupts interrupts) {
        return iface.isPresent() ? IrqMatcher.receiveIrqs(iface.get(), interrupts) : patternIrqs(interrupts);
    }

    /**
     * The lines with an action containing the name, as the original selected them: without
     * the transmit/control filter, since the operator chose it.
     */
    private List<IrqChoice> patternIrqs(Interrupts interrupts) {
        List<IrqChoice> choices = new ArrayList<>();
        for (IrqLine line : interrupts.lines()) {
            for (String action : line.actions()) {
                if (action.contains(name)) {
                    choices.add(new IrqChoice(
                            line.irq(),
                            line.actions(),
                            true,
                            "action " + action + " contains the given name " + name
                                    + " (not an interface: matched as the original did)"));
                    break;
                }
            }
        }
        return choices;
    }

    /**
     * True if it names nothing on this host now (most likely a typo): no interface, and no
     * line of {@code interrupts} contains it; with {@code interrupts} unknown (null), sysfs
     * alone decides.
     */
    public boolean namesNothing(Interrupts interrupts) {
        return iface.isEmpty() && (interrupts == null || receiveIrqs(interrupts).isEmpty());
    }
}
