package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each driver family's and architecture's fixture host: the receive lines chosen for every
 * NIC, as the driver's source says they are (see each host's README), and a --info report
 * that gives a reason for every line it lists.
 */
class FixtureHostsTest {
    /** "34-41 43" as labels 34..41 and 43; "-" for none. */
    static List<String> labels(String spec) {
        List<String> out = new ArrayList<>();
        if (spec.equals("-")) {
            return out;
        }
        for (String part : spec.trim().split(" +")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length == 1 ? from : Integer.parseInt(range[1]);
            for (int i = from; i <= to; i++) {
                out.add(Integer.toString(i));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        nic-aws-ena          | ens5        | 34-41
        nic-aws-ena          | ens6        | 43-50
        arch-arm64-gicv3     | ens5        | 20-23
        arch-arm64-gicv3-6.18 | ens5       | 20-23
        nic-gcp-gve          | ens4        | 35-38
        nic-gcp-gve-legacy   | ens4        | 35-38
        nic-azure-netvsc     | eth0        | -
        nic-azure-netvsc     | enP30832s1  | 25-28
        arch-x86-hyperv      | eth0        | -
        nic-vmware-vmxnet3   | ens192      | 27-30
        nic-kvm-virtio       | enp1s0      | 30 32 34 36
        nic-kvm-virtio       | enp2s0      | 39
        arch-x86-kvm         | enp1s0      | 29 31
        arch-x86-xen         | eth0        | 75 77
        nic-mellanox         | ens1f0np0   | 137-144
        nic-mellanox         | ens1f1np1   | 146-153
        nic-mellanox         | enp94s0     | 155-170
        arch-ppc64le-xive    | enP1p1s0f0  | 42-49
        nic-broadcom         | ens2f0np0   | 137-140
        nic-broadcom         | eno1        | 164-167
        nic-broadcom         | eno2        | 169-172
        nic-misc-a           | enp175s0np0 | 176-179
        nic-misc-a           | enp175s0np1 | 182-185
        nic-misc-a           | ens1f0np0   | 135-138
        nic-misc-a           | ens3f0      | 149-152
        nic-misc-a           | ens4f0      | 166-169
        nic-intel-a          | ens1f0      | 41-48
        nic-intel-a          | ens2f0      | 61-68
        nic-intel-a          | ens2f1      | -
        arch-x86-metal       | eno1        | 138-145
        nic-intel-a-vm       | eth0        | 27-30
        nic-intel-a-vm       | eth1        | 32-35
        nic-intel-b          | eno1        | 41-48
        nic-intel-b          | enp5s0      | 59-62
        nic-intel-b          | enp0s31f6   | 63
        nic-intel-b          | enp6s0      | 64
        nic-intel-b          | ens3f0      | 70-77
        nic-intel-b          | ens3f0v0    | 88-89
        nic-hns3             | enp125s0f0  | 41-48
        nic-hns3             | enp125s0f0v0 | 68-71
        nic-ionic-enic       | enp181s0    | 41-48
        nic-ionic-enic       | enp182s0    | 55-58
        nic-ionic-enic       | eno5        | 60-63
        nic-ionic-enic       | eno6        | 70
        nic-octeontx2        | enP2p2s0    | 120-127
        nic-octeontx2        | enP2p2s0f1  | 197-200
        nic-single-vector    | eno1        | 139
        nic-single-vector    | enp1s0f0np0 | 16
        nic-single-vector    | enp3s0f0    | 18
        nic-single-vector    | enp5s0f0    | 137
        nic-split-queues     | ens2f0np0   | 134-137
        nic-split-queues     | ens3f0np0   | 146-150
        nic-vmware-vmxnet3-split | ens192  | 31-38
        nic-vmware-vmxnet3-split | ens224  | 18
        nic-kvm-intx-vf      | enp1s0      | 22
        nic-kvm-intx-vf      | enp2s0      | 28
        nic-control-queues   | enp175s0    | 157-160
        nic-control-queues   | enp94s0     | 135 137 139 141 143 145 147 149
        nic-rdma-sf          | enp59s0f0np0 | 135-142
        nic-rdma-sf          | enp59s0f0s88 | -
        nic-rdma-sf          | enp216s0f0  | 153-156
        nic-xen-netfront-single | eth0     | 74
        nic-old-4.15         | enp59s0f0   | 64-71
        nic-old-5.10         | enp59s0f0np0 | 62-69
        nic-old-5.10         | enp94s0f0np0 | 70-77
        nic-intel-split      | eno1        | 41-44
        nic-intel-split      | ens2f0      | 72-79
        nic-intel-split      | ens2f1      | 83-86
        nic-intel-split      | ens3f0      | 60-63
        nic-intel-old        | ens5        | 27-30
        nic-hns3-old         | enp125s0f0  | 41-48
        nic-ibm-powervm      | env3        | 258-259
        nic-ibm-powervm      | env2        | 20
        """)
    void receiveLinesAsTheDriverSourceSays(String host, String nicName, String expected) throws Exception {
        // a switchdev representor is not a NIC to watch: its traffic is its VF's or SF's
        if (host.equals("nic-rdma-sf")) {
            assertTrue(NicDetector.scan(Fixtures.sysfs(host)).excluded().stream()
                    .anyMatch(
                            x -> x.name().equals("enp59s0f0npf0sf88") && x.why().startsWith("switchdev representor")));
        }
        Interrupts irqs = Fixtures.interrupts(host);
        NicScan scan = NicDetector.scan(Fixtures.sysfs(host));
        Nic nic = scan.nics().stream()
                .filter(n -> n.name().equals(nicName))
                .findFirst()
                .orElseThrow();
        List<String> got =
                IrqMatcher.receiveIrqs(nic, irqs).stream().map(IrqChoice::irq).toList();
        assertEquals(labels(expected), got);

        String report = DetectionReport.render(scan, irqs, new DiskScan(List.of(), List.of()));
        assertTrue(report.contains("  " + nicName + ": watched, device link -> "), report);
        for (IrqChoice c : IrqMatcher.classify(nic, irqs)) {
            // every listed line says which rule tied it and what it is, with its source when known
            assertTrue(c.why().contains(" -> receive: ") || c.why().contains(" -> not receive: "), c.why());
            assertTrue(report.contains("IRQ " + c.irq() + " "), report);
        }
        if (expected.equals("-")
                && nic.driver().filter(DriverTable.NO_LINES::contains).isPresent()) {
            assertTrue(report.contains(nicName + ": watched") && report.contains("no receive IRQ line"), report);
        }
    }
}
