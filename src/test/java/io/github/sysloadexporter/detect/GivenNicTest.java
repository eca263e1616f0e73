package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An -i name, resolved once: an interface as a scan would see it, any other name a pattern. */
class GivenNicTest {
    static final Path SYS = Fixtures.sysfs("virtio-2cpu");
    static final Interrupts IRQS = Fixtures.interrupts("virtio-2cpu");

    static List<String> labels(List<IrqChoice> chosen) {
        return List.copyOf(IrqMatcher.labels(chosen));
    }

    @Test
    void anInterfaceNameIsResolvedLikeADetectedNic() throws IOException {
        GivenNic eth0 = GivenNic.resolve(SYS, "eth0");
        assertTrue(eth0.iface().isPresent());
        // its transmit line 39 is left out, as for a detected NIC
        assertEquals(List.of("38"), labels(eth0.receiveIrqs(IRQS)));
    }

    @Test
    void anyOtherNameMatchesActionsContainingIt() throws IOException {
        GivenNic pattern = GivenNic.resolve(SYS, "virtio2-input");
        assertFalse(pattern.iface().isPresent());
        List<IrqChoice> chosen = pattern.receiveIrqs(IRQS);
        assertEquals(List.of("38"), labels(chosen));
        assertEquals(
                "action virtio2-input.0 contains the given name virtio2-input"
                        + " (not an interface: matched as the original did)",
                chosen.get(0).why());
        // the original's substring semantics: "virtio" alone takes every virtio line
        assertEquals(16, GivenNic.resolve(SYS, "virtio").receiveIrqs(IRQS).size());
    }

    /** -i naming one port of a two-port PCI function: the other port's vectors stay the other's. */
    @Test
    void anInterfaceKnowsItsSiblings() throws Exception {
        GivenNic port = GivenNic.resolve(Fixtures.sysfs("nic-misc-a"), "enp175s0np0");
        assertEquals(List.of("176", "177", "178", "179"), labels(port.receiveIrqs(Fixtures.interrupts("nic-misc-a"))));
    }

    @Test
    void aNameThatIsNeitherAnInterfaceNorInAnyLineNamesNothing() throws IOException {
        assertTrue(GivenNic.resolve(SYS, "eht0").namesNothing(IRQS));
        assertFalse(GivenNic.resolve(SYS, "virtio2-input").namesNothing(IRQS));
        // an interface names something even when none of its lines is there
        assertFalse(GivenNic.resolve(SYS, "eth0").namesNothing(new Interrupts(new int[] {0, 1}, List.of())));
        // /proc/interrupts unreadable: sysfs alone decides
        assertTrue(GivenNic.resolve(SYS, "eht0").namesNothing(null));
        assertFalse(GivenNic.resolve(SYS, "eth0").namesNothing(null));
        // a path is never an interface: no escape from class/net
        assertTrue(GivenNic.resolve(SYS, "../eth0").iface().isEmpty());
    }
}
