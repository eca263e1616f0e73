package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Detection over the parsed fixture files rather than hand-built snapshots: the sysfs tree
 * and the /proc/interrupts of the same host, as the daemon sees them.
 */
class ParsedFixturesTest {
    static Map<String, List<String>> receiveIrqs(String host) throws Exception {
        Interrupts irqs = Fixtures.interrupts(host);
        Map<String, List<String>> out = new TreeMap<>();
        for (Nic nic : NicDetector.scan(Fixtures.sysfs(host)).nics()) {
            out.put(nic.name(), new ArrayList<>(IrqMatcher.labels(IrqMatcher.receiveIrqs(nic, irqs))));
        }
        return out;
    }

    @Test
    void virtioGuestEth0IsOnlyVirtio2Input() throws Exception {
        assertEquals(Map.of("eth0", List.of("38")), receiveIrqs("virtio-2cpu"));
    }

    @Test
    void metalHostMlx5CompletionAndIxgbeQueueVectors() throws Exception {
        List<String> mlx5 = new ArrayList<>();
        for (int irq = 101; irq <= 116; irq++) {
            mlx5.add(Integer.toString(irq));
        }
        List<String> ixgbe = new ArrayList<>();
        for (int irq = 130; irq <= 137; irq++) { // 138, the bare name, is ixgbe's other vector
            ixgbe.add(Integer.toString(irq));
        }
        assertEquals(Map.of("ens1f0np0", mlx5, "eno1", ixgbe), receiveIrqs("metal-64cpu"));
    }
}
