package io.github.sysloadexporter.detect;

import static io.github.sysloadexporter.detect.IrqForm.Kind.COMBINED;
import static io.github.sysloadexporter.detect.IrqForm.Kind.CONTROL;
import static io.github.sysloadexporter.detect.IrqForm.Kind.RECEIVE;
import static io.github.sysloadexporter.detect.IrqForm.Kind.SOLE;
import static io.github.sysloadexporter.detect.IrqForm.Kind.TRANSMIT;
import static io.github.sysloadexporter.detect.IrqForm.Kind.UPPER_HALF_RECEIVE;

import java.util.List;
import java.util.Set;

/**
 * How each common NIC driver names its IRQ vectors, and what each vector carries: read from
 * the driver's source (the file and the printf format are beside each row), never guessed
 * from a word in the name. README's driver table is this table.
 *
 * <p>Within a driver the first matching row wins. Subtle rows, from the sources:
 * <ul>
 * <li>ena: XDP transmit queues reuse {@code -Tx-Rx-}; the name cannot tell them apart, and
 *     they are taken as combined.</li>
 * <li>gve: blocks below half the count serve transmit queues, the upper half receive.</li>
 * <li>i40e {@code :misc}, ixgbe/igb/igc/e1000e bare name: the "other" vector beside queue
 *     vectors, or the only vector (MSI/INTx) carrying everything ({@link IrqForm.Kind#SOLE}).</li>
 * <li>i40e {@code :fdir-TxRx-N} and ice {@code :ctrl-TxRx-N} say TxRx but clean only
 *     flow-director programming rings: control.</li>
 * <li>tg3 {@code {if}-N}: with several transmit rings vector 0 is link-only; without, vector 0
 *     is {@code -tx-0} (transmit and link) and receive rings are {@code -rx-N}.</li>
 * <li>ionic {@code -rxN} is a combined queue pair (receive only in split-interrupt mode).</li>
 * <li>mlx4 and nfp serve several interfaces from one PCI function; mlx4's names do not say
 *     which port, so both ports take all its completion vectors.</li>
 * <li>bnxt_re, qedr and mlx5's sub-function control vectors are RDMA or management vectors
 *     on the NIC's PCI function: control. mlx5's sub-function completion vectors carry the
 *     SF's traffic, not that of the PCI function's own interface, which they are tied to by
 *     the PF's address: not its receive lines (the SF's interface, on an auxiliary device,
 *     has no lines of its own and takes all CPUs).</li>
 * <li>mlx4 before 4.2 (pool mode) names its per-ring vectors after the interface,
 *     {@code enp4s0-N}.</li>
 * <li>Forms a driver can format but whose ring mapping never reaches them in the kernels of
 *     today are left out: i40e and iavf {@code -rx-N}/{@code -tx-N} (rings are always paired),
 *     hns3 {@code -Rx-N}/{@code -Tx-N}, igb/igc {@code -unused}, ixgbe {@code -rx-N} and
 *     ixgbevf {@code -rx-N}/{@code -tx-N} (2.6-era drivers). Should one appear, the words of
 *     its name decide, and rightly: rx a receive queue, tx transmit-only, unused control.</li>
 * <li>ibmvnic (IBM Power vNIC) names its vectors after the VIO unit address of its device
 *     ({@code /sys/devices/vio/30000003}), not the interface: {@code ibmvnic-%x} is the
 *     command queue (its handler only schedules the CRQ work), {@code -tx%d} cleans transmit
 *     completions, {@code -rx%d} polls receive (init_crq_queue, init_sub_crq_irqs). Before
 *     5.2 (commit e56e2515669a) they were {@code ibmvnic}, {@code ibmvnic_tx} and
 *     {@code ibmvnic_rx} on every device: nothing says whose, and they are left alone.</li>
 * <li>ibmveth (PowerVM virtual Ethernet) has one vector, named after the interface, which
 *     only schedules receive polling: transmit is a synchronous hypervisor call.</li>
 * <li>hv_netvsc (Hyper-V, Azure) requests no IRQ: its VMBus channels interrupt through the
 *     per-CPU hypervisor vector ({@code HYP} on x86, {@code Hyper-V VMbus} on arm64) that
 *     every VMBus device shares. Such a NIC has no group of its own; with accelerated
 *     networking its traffic arrives on the mlx5/mlx4 VF, an interface of its own.</li>
 * </ul>
 */
final class DriverTable {
    /** Drivers known to have no IRQ line of their own per NIC. */
    static final Set<String> NO_LINES = Set.of("hv_netvsc");
    /**
     * Drivers whose every vector name is in the table: virtio names vectors after its queues,
     * and virtio_net's queues are input.N, output.N and control, so any other name on the
     * device is no receive queue of it.
     */
    static final Set<String> EXHAUSTIVE = Set.of("virtio_net");

    // spotless:off (a table: one row a line, as the kernel sources are read)
    static final List<IrqForm> FORMS = List.of(
        form("virtio_net", "drivers/virtio/virtio_pci_common.c", "%s-config", "{dev}-config", CONTROL, "virtio0-config"),
        form("virtio_net", "drivers/virtio/virtio_pci_common.c", "%s-%s", "{dev}-input.{n}", RECEIVE, "virtio0-input.0"),
        form("virtio_net", "drivers/virtio/virtio_pci_common.c", "%s-%s", "{dev}-output.{n}", TRANSMIT, "virtio0-output.0"),
        form("virtio_net", "drivers/virtio/virtio_pci_common.c", "%s-virtqueues", "{dev}-virtqueues", COMBINED, "virtio1-virtqueues"),
        form("virtio_net", "drivers/virtio/virtio_pci_common.c", "%s", "{dev}", COMBINED, "virtio2"),
        form("virtio_net", "drivers/virtio/virtio_pci_common.c", "%s-%s", "{dev}-avq.{n}", CONTROL, "virtio0-avq.3"),
        form("ena", "drivers/net/ethernet/amazon/ena/ena_netdev.c", "ena-mgmnt@pci:%s", "ena-mgmnt@pci:{pci}", CONTROL, "ena-mgmnt@pci:0000:00:05.0"),
        form("ena", "drivers/net/ethernet/amazon/ena/ena_netdev.c", "%s-Tx-Rx-%d", "{if}-Tx-Rx-{n}", COMBINED, "ens5-Tx-Rx-0"),
        form("gve", "drivers/net/ethernet/google/gve/gve_main.c", "gve-mgmnt@pci:%s", "gve-mgmnt@pci:{pci}", CONTROL, "gve-mgmnt@pci:0000:00:04.0"),
        form("gve", "drivers/net/ethernet/google/gve/gve_main.c", "gve-ntfy-blk%d@pci:%s", "gve-ntfy-blk{n}@pci:{pci}", UPPER_HALF_RECEIVE, "gve-ntfy-blk0@pci:0000:00:04.0"),
        form("gve", "drivers/net/ethernet/google/gve/gve_main.c", "%s-mgmnt", "eth%d-mgmnt", CONTROL, "eth%d-mgmnt"),
        form("gve", "drivers/net/ethernet/google/gve/gve_main.c", "%s-ntfy-block.%d", "eth%d-ntfy-block.{n}", UPPER_HALF_RECEIVE, "eth%d-ntfy-block.0"),
        form("vmxnet3", "drivers/net/vmxnet3/vmxnet3_drv.c", "%s-rxtx-%d", "{if}-rxtx-{n}", COMBINED, "ens192-rxtx-0"),
        form("vmxnet3", "drivers/net/vmxnet3/vmxnet3_drv.c", "%s-tx-%d", "{if}-tx-{n}", TRANSMIT, "ens192-tx-0"),
        form("vmxnet3", "drivers/net/vmxnet3/vmxnet3_drv.c", "%s-rx-%d", "{if}-rx-{n}", RECEIVE, "ens192-rx-2"),
        form("vmxnet3", "drivers/net/vmxnet3/vmxnet3_drv.c", "%s-event-%d", "{if}-event-{n}", CONTROL, "ens192-event-4"),
        form("vmxnet3", "drivers/net/vmxnet3/vmxnet3_drv.c", "%s", "{if}", COMBINED, "ens192"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/pci_irq.c", "%s@pci:%s", "mlx5_comp{n}@pci:{pci}", COMBINED, "mlx5_comp0@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/pci_irq.c", "%s@pci:%s", "mlx5_async{n}@pci:{pci}", CONTROL, "mlx5_async0@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/pci_irq.c", "%s@pci:%s", "mlx5_async@pci:{pci}", CONTROL, "mlx5_async@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/pci_irq.c", "%s@pci:%s", "mlx5_combined{n}@pci:{pci}", COMBINED, "mlx5_combined0@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/pci_irq.c", "%s@pci:%s", "mlx5_sf_ctrl{n}@pci:{pci}", CONTROL, "mlx5_sf_ctrl17@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/pci_irq.c", "%s@pci:%s", "mlx5_sf_comp{n}@pci:{pci}", CONTROL, "mlx5_sf_comp18@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/eq.c", "%s@pci:%s", "mlx5_cmd_eq@pci:{pci}", CONTROL, "mlx5_cmd_eq@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/eq.c", "%s@pci:%s", "mlx5_async_eq@pci:{pci}", CONTROL, "mlx5_async_eq@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/eq.c", "%s@pci:%s", "mlx5_pages_eq@pci:{pci}", CONTROL, "mlx5_pages_eq@pci:0000:3b:00.0"),
        form("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/eq.c", "%s@pci:%s", "mlx5_page_fault_eq@pci:{cut}", CONTROL, "mlx5_page_fault_eq@pci:0000:3b:"),
        form("mlx4_core", "drivers/net/ethernet/mellanox/mlx4/eq.c", "mlx4-async@pci:%s", "mlx4-async@pci:{pci}", CONTROL, "mlx4-async@pci:0000:5e:00.0"),
        form("mlx4_core", "drivers/net/ethernet/mellanox/mlx4/eq.c", "mlx4-%d@%s", "mlx4-{n}@{pci}", COMBINED, "mlx4-1@0000:5e:00.0"),
        form("mlx4_core", "drivers/net/ethernet/mellanox/mlx4/eq.c", "mlx4-comp-%d@pci:%s", "mlx4-comp-{n}@pci:{pci}", COMBINED, "mlx4-comp-0@pci:0000:5e:00.0"),
        form("mlx4_core", "drivers/net/ethernet/mellanox/mlx4/en_cq.c", "%s-%d", "{if}-{n}", COMBINED, "enp4s0-0"),
        form("mlx4_core", "drivers/net/ethernet/mellanox/mlx4/eq.c", "DRV_NAME \"@pci:%s\"", "mlx4_core@pci:{pci}", COMBINED, "mlx4_core@pci:0000:5e:00.0"),
        form("bnxt_en", "drivers/net/ethernet/broadcom/bnxt/bnxt.c", "%s-%s-%d", "{if}-TxRx-{n}", COMBINED, "ens2f0np0-TxRx-0"),
        form("bnxt_en", "drivers/net/ethernet/broadcom/bnxt/bnxt.c", "%s-%s-%d", "{if}-rx-{n}", RECEIVE, "ens2f0np0-rx-0"),
        form("bnxt_en", "drivers/net/ethernet/broadcom/bnxt/bnxt.c", "%s-%s-%d", "{if}-tx-{n}", TRANSMIT, "ens2f0np0-tx-4"),
        form("bnxt_en", "drivers/infiniband/hw/bnxt_re/qplib_fp.c", "bnxt_re-nq-%d@pci:%s", "bnxt_re-nq-{n}@pci:{pci}", CONTROL, "bnxt_re-nq-0@pci:0000:5e:00.0"),
        form("bnxt_en", "drivers/infiniband/hw/bnxt_re/qplib_rcfw.c", "bnxt_re-creq@pci:%s", "bnxt_re-creq@pci:{pci}", CONTROL, "bnxt_re-creq@pci:0000:5e:00.0"),
        form("bnxt_en", "drivers/infiniband/hw/bnxt_re/qplib_fp.c", "bnxt_qplib_nq-%d", "bnxt_qplib_nq-{n}", CONTROL, "bnxt_qplib_nq-0"),
        form("bnxt_en", "drivers/infiniband/hw/bnxt_re/qplib_rcfw.c", "bnxt_qplib_creq", "bnxt_qplib_creq", CONTROL, "bnxt_qplib_creq"),
        form("tg3", "drivers/net/ethernet/broadcom/tg3.c", "%s-tx-%d", "{if}-tx-{n}", TRANSMIT, "eno1-tx-0"),
        form("tg3", "drivers/net/ethernet/broadcom/tg3.c", "%s-rx-%d", "{if}-rx-{n}", RECEIVE, "eno1-rx-1"),
        form("tg3", "drivers/net/ethernet/broadcom/tg3.c", "%s-txrx-%d", "{if}-txrx-{n}", COMBINED, "eno2-txrx-1"),
        form("tg3", "drivers/net/ethernet/broadcom/tg3.c", "%s-%d", "{if}-{n}", CONTROL, "eno2-0"),
        form("tg3", "drivers/net/ethernet/broadcom/tg3.c", "%s (tp->dev->name)", "{if}", COMBINED, "eno1"),
        form("sfc", "drivers/net/ethernet/sfc/efx_channels.c", "%s%s-%d", "{if}-{n}", COMBINED, "ens1f0np0-0"),
        form("sfc", "drivers/net/ethernet/sfc/efx_channels.c", "%s%s-%d", "{if}-rx-{n}", RECEIVE, "ens1f0np0-rx-0"),
        form("sfc", "drivers/net/ethernet/sfc/efx_channels.c", "%s%s-%d", "{if}-tx-{n}", TRANSMIT, "ens1f0np0-tx-0"),
        form("sfc", "drivers/net/ethernet/sfc/efx_channels.c", "%s%s-%d", "{if}-xdp-{n}", TRANSMIT, "ens1f0np0-xdp-0"),
        form("sfc", "drivers/net/ethernet/sfc/ptp.c", "%s-ptp", "{if}-ptp", CONTROL, "ens1f0np0-ptp"),
        form("sfc", "drivers/net/ethernet/sfc/nic.c", "%s (efx->name)", "{if}", COMBINED, "ens1f0np0"),
        form("qede", "drivers/net/ethernet/qlogic/qede/qede_main.c", "%s-fp-%d", "{if}-fp-{n}", COMBINED, "ens3f0-fp-0"),
        form("qede", "drivers/net/ethernet/qlogic/qed/qed_main.c", "sp-%d-%02x:%02x.%02x", "sp-{n}-{hex2}:{hex2}.{hex2}", CONTROL, "sp-0-d8:00.00"),
        form("qede", "drivers/net/ethernet/qlogic/qed/qed_main.c", "%02x:%02x.%02x", "{hex2}:{hex2}.{hex2}", COMBINED, "d8:00.00"),
        form("qede", "drivers/infiniband/hw/qedr/main.c", "qedr%d@pci:%s", "qedr{n}@pci:{pci}", CONTROL, "qedr0@pci:0000:d8:00.0"),
        form("be2net", "drivers/net/ethernet/emulex/benet/be_main.c", "%s-q%d", "{if}-q{n}", COMBINED, "ens4f0-q0"),
        form("be2net", "drivers/net/ethernet/emulex/benet/be_main.c", "%s (netdev->name)", "{if}", COMBINED, "ens4f0"),
        form("nfp", "drivers/net/ethernet/netronome/nfp/nfp_net_common.c", "%s-rxtx-%d", "{if}-rxtx-{n}", COMBINED, "enp175s0np0-rxtx-0"),
        form("nfp", "drivers/net/ethernet/netronome/nfp/nfp_net_common.c", "%s-exn", "{if}-exn", CONTROL, "enp175s0np0-exn"),
        form("nfp", "drivers/net/ethernet/netronome/nfp/nfp_net_common.c", "%s-lsc", "{if}-lsc", CONTROL, "enp175s0np0-lsc"),
        form("nfp", "drivers/net/ethernet/netronome/nfp/nfp_net_common.c", "%s-rxtx-%d", "ctrl-rxtx-{n}", CONTROL, "ctrl-rxtx-0"),
        form("nfp", "drivers/net/ethernet/netronome/nfp/nfp_net_common.c", "%s-exn", "ctrl-exn", CONTROL, "ctrl-exn"),
        form("nfp", "drivers/net/ethernet/netronome/nfp/nfp_net_common.c", "%s-lsc", "ctrl-lsc", CONTROL, "ctrl-lsc"),
        form("i40e", "drivers/net/ethernet/intel/i40e/i40e_main.c", "%s-%s:misc", "i40e-{pci}:misc", SOLE, "i40e-0000:3b:00.0:misc"),
        form("i40e", "drivers/net/ethernet/intel/i40e/i40e_main.c", "%s-%s-%d (basename %s-%s)", "i40e-{if}-TxRx-{n}", COMBINED, "i40e-ens1f0-TxRx-0"),
        form("i40e", "drivers/net/ethernet/intel/i40e/i40e_main.c", "%s-%s-%d (basename %s-%s:fdir)", "i40e-{pci}:fdir-TxRx-{n}", CONTROL, "i40e-0000:3b:00.0:fdir-TxRx-0"),
        form("i40evf", "drivers/net/ethernet/intel/i40evf/i40evf_main.c", "i40evf-%s-%s-%d", "i40evf-{if}-TxRx-{n}", COMBINED, "i40evf-eth0-TxRx-0"),
        form("i40evf", "drivers/net/ethernet/intel/i40evf/i40evf_main.c", "i40evf-%s:mbx", "i40evf-{pci}:mbx", CONTROL, "i40evf-0000:00:05.0:mbx"),
        form("iavf", "drivers/net/ethernet/intel/iavf/iavf_main.c", "iavf-%s-TxRx-%u", "iavf-{if}-TxRx-{n}", COMBINED, "iavf-eth0-TxRx-0"),
        form("iavf", "drivers/net/ethernet/intel/iavf/iavf_main.c", "iavf-%s:mbx", "iavf-{pci}:mbx", CONTROL, "iavf-0000:00:05.0:mbx"),
        form("ice", "drivers/net/ethernet/intel/ice/ice_main.c", "%s-%s:misc", "ice-{pci}:misc", CONTROL, "ice-0000:5e:00.0:misc"),
        form("ice", "drivers/net/ethernet/intel/ice/ice_main.c", "%s-%s:ll_ts", "ice-{pci}:ll_ts", CONTROL, "ice-0000:5e:00.0:ll_ts"),
        form("ice", "drivers/net/ethernet/intel/ice/ice_main.c", "%s-%s-%d (basename %s-%s)", "ice-{if}-TxRx-{n}", COMBINED, "ice-ens2f0-TxRx-0"),
        form("ice", "drivers/net/ethernet/intel/ice/ice_main.c", "%s-%s-%d (basename %s-%s)", "ice-{if}-rx-{n}", RECEIVE, "ice-ens2f0-rx-0"),
        form("ice", "drivers/net/ethernet/intel/ice/ice_main.c", "%s-%s-%d (basename %s-%s)", "ice-{if}-tx-{n}", TRANSMIT, "ice-ens2f0-tx-0"),
        form("ice", "drivers/net/ethernet/intel/ice/ice_main.c", "%s-%s-%d (basename %s-%s:ctrl)", "ice-{pci}:ctrl-TxRx-{n}", CONTROL, "ice-0000:5e:00.0:ctrl-TxRx-0"),
        form("idpf", "drivers/net/ethernet/intel/idpf/idpf_lib.c", "%s-%s-%d", "idpf-Mailbox-{n}", CONTROL, "idpf-Mailbox-0"),
        form("idpf", "drivers/net/ethernet/intel/idpf/idpf_txrx.c", "%s-%s-%s-%d", "idpf-{if}-TxRx-{n}", COMBINED, "idpf-eth1-TxRx-1"),
        form("idpf", "drivers/net/ethernet/intel/idpf/idpf_txrx.c", "%s-%s-%s-%d", "idpf-{if}-Rx-{n}", RECEIVE, "idpf-eth1-Rx-3"),
        form("idpf", "drivers/net/ethernet/intel/idpf/idpf_txrx.c", "%s-%s-%s-%d", "idpf-{if}-Tx-{n}", TRANSMIT, "idpf-eth1-Tx-3"),
        form("ixgbe", "drivers/net/ethernet/intel/ixgbe/ixgbe_main.c", "%s-TxRx-%u", "{if}-TxRx-{n}", COMBINED, "ens3f0-TxRx-0"),
        form("ixgbe", "drivers/net/ethernet/intel/ixgbe/ixgbe_main.c", "%s-tx-%u", "{if}-tx-{n}", TRANSMIT, "ens3f0-tx-0"),
        form("ixgbe", "drivers/net/ethernet/intel/ixgbe/ixgbe_main.c", "%s (netdev->name)", "{if}", SOLE, "ens3f0"),
        form("ixgbevf", "drivers/net/ethernet/intel/ixgbevf/ixgbevf_main.c", "%s-TxRx-%u", "{if}-TxRx-{n}", COMBINED, "ens3f0v0-TxRx-0"),
        form("ixgbevf", "drivers/net/ethernet/intel/ixgbevf/ixgbevf_main.c", "%s (netdev->name)", "{if}", CONTROL, "ens3f0v0"),
        form("igb", "drivers/net/ethernet/intel/igb/igb_main.c", "%s (netdev->name)", "{if}", SOLE, "eno1"),
        form("igb", "drivers/net/ethernet/intel/igb/igb_main.c", "%s-TxRx-%u", "{if}-TxRx-{n}", COMBINED, "eno1-TxRx-0"),
        form("igb", "drivers/net/ethernet/intel/igb/igb_main.c", "%s-tx-%u", "{if}-tx-{n}", TRANSMIT, "eno1-tx-0"),
        form("igb", "drivers/net/ethernet/intel/igb/igb_main.c", "%s-rx-%u", "{if}-rx-{n}", RECEIVE, "eno1-rx-0"),
        form("igc", "drivers/net/ethernet/intel/igc/igc_main.c", "%s (netdev->name)", "{if}", SOLE, "enp5s0"),
        form("igc", "drivers/net/ethernet/intel/igc/igc_main.c", "%s-TxRx-%u", "{if}-TxRx-{n}", COMBINED, "enp5s0-TxRx-0"),
        form("igc", "drivers/net/ethernet/intel/igc/igc_main.c", "%s-tx-%u", "{if}-tx-{n}", TRANSMIT, "enp5s0-tx-0"),
        form("igc", "drivers/net/ethernet/intel/igc/igc_main.c", "%s-rx-%u", "{if}-rx-{n}", RECEIVE, "enp5s0-rx-0"),
        form("e1000e", "drivers/net/ethernet/intel/e1000e/netdev.c", "%.14s-rx-0", "{if}-rx-0", RECEIVE, "enp6s0-rx-0"),
        form("e1000e", "drivers/net/ethernet/intel/e1000e/netdev.c", "%.14s-tx-0", "{if}-tx-0", TRANSMIT, "enp6s0-tx-0"),
        form("e1000e", "drivers/net/ethernet/intel/e1000e/netdev.c", "memcpy(ring->name, netdev->name, IFNAMSIZ)", "{if}", SOLE, "enx00e04c680001"),
        form("hns3", "drivers/net/ethernet/hisilicon/hns3/hns3_enet.c", "%s-%s-%s-%d", "hns3-{pci}-TxRx-{n}", COMBINED, "hns3-0000:7d:00.0-TxRx-0"),
        form("hns3", "drivers/net/ethernet/hisilicon/hns3/hns3_enet.c", "%s-%s-%d (priv->netdev->name)", "{if}-TxRx-{n}", COMBINED, "eth0-TxRx-0"),
        form("hns3", "drivers/net/ethernet/hisilicon/hns3/hns3pf/hclge_main.c", "%s-misc-%s", "hclge-misc-{pci}", CONTROL, "hclge-misc-0000:7d:00.0"),
        form("hns3", "drivers/net/ethernet/hisilicon/hns3/hns3pf/hclge_main.c", "hclge_misc", "hclge_misc", CONTROL, "hclge_misc"),
        form("hns3", "drivers/net/ethernet/hisilicon/hns3/hns3vf/hclgevf_main.c", "%s-misc-%s", "hclgevf-misc-{pci}", CONTROL, "hclgevf-misc-0000:7d:01.0"),
        form("ionic", "drivers/net/ethernet/pensando/ionic/ionic_lif.c", "%.5s-%.16s-%.8s (q->name L%d-%s%u)", "ionic-{pci}-L{n}-admin", CONTROL, "ionic-0000:b5:00.0-L0-admin"),
        form("ionic", "drivers/net/ethernet/pensando/ionic/ionic_lif.c", "%s-%s-%s (q->name L%d-%s%u)", "ionic-{pci}-L{n}-admin{n}", CONTROL, "ionic-0000:b5:00.0-L0-admin0"),
        form("ionic", "drivers/net/ethernet/pensando/ionic/ionic_lif.c", "%.5s-%.16s-%.8s (q->name L%d-%s%u)", "ionic-{if}-L{n}-rx{n}", COMBINED, "ionic-enp181s0-L0-rx0"),
        form("ionic", "drivers/net/ethernet/pensando/ionic/ionic_lif.c", "%.5s-%.16s-%.8s (q->name L%d-%s%u)", "ionic-{if}-L{n}-tx{n}", TRANSMIT, "ionic-enp181s0-L0-tx0"),
        form("enic", "drivers/net/ethernet/cisco/enic/enic_main.c", "%s-rx-%u", "{if}-rx-{n}", RECEIVE, "eno5-rx-0"),
        form("enic", "drivers/net/ethernet/cisco/enic/enic_main.c", "%s-tx-%u", "{if}-tx-{n}", TRANSMIT, "eno5-tx-0"),
        form("enic", "drivers/net/ethernet/cisco/enic/enic_main.c", "%s-err", "{if}-err", CONTROL, "eno5-err"),
        form("enic", "drivers/net/ethernet/cisco/enic/enic_main.c", "%s-notify", "{if}-notify", CONTROL, "eno5-notify"),
        form("enic", "drivers/net/ethernet/cisco/enic/enic_main.c", "%s (netdev->name)", "{if}", COMBINED, "eno6"),
        form("rvu_nicpf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "%s-rxtx-%d", "{if}-rxtx-{n}", COMBINED, "enP2p2s0-rxtx-0"),
        form("rvu_nicpf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "%s-qerr", "{if}-qerr", CONTROL, "enP2p2s0-qerr"),
        form("rvu_nicpf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "RVUPFAF Mbox", "RVUPFAF Mbox", CONTROL, "RVUPFAF Mbox"),
        form("rvu_nicpf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "RVUPF%d AFPF Mbox", "RVUPF{n} AFPF Mbox", CONTROL, "RVUPF1 AFPF Mbox"),
        form("rvu_nicpf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "RVUPF%d_VF Mbox0", "RVUPF{n}_VF Mbox{n}", CONTROL, "RVUPF1_VF Mbox0"),
        form("rvu_nicpf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "RVUPF%d_ME0", "RVUPF{n}_ME{n}", CONTROL, "RVUPF1_ME0"),
        form("rvu_nicpf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "RVUPF%d_FLR0", "RVUPF{n}_FLR{n}", CONTROL, "RVUPF1_FLR0"),
        form("rvu_nicvf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "%s-rxtx-%d", "{if}-rxtx-{n}", COMBINED, "enP2p2s0f1-rxtx-0"),
        form("rvu_nicvf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_pf.c", "%s-qerr", "{if}-qerr", CONTROL, "enP2p2s0f1-qerr"),
        form("rvu_nicvf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_vf.c", "RVUVFAF Mbox", "RVUVFAF Mbox", CONTROL, "RVUVFAF Mbox"),
        form("rvu_nicvf", "drivers/net/ethernet/marvell/octeontx2/nic/otx2_vf.c", "RVUVF%d AFVF Mbox", "RVUVF{n} AFVF Mbox", CONTROL, "RVUVF0 AFVF Mbox"),
        form("vif", "drivers/net/xen-netfront.c", "%s-rx", "{dev}-q{n}-rx", RECEIVE, "vif0-q0-rx"),
        form("vif", "drivers/net/xen-netfront.c", "%s-tx", "{dev}-q{n}-tx", TRANSMIT, "vif0-q0-tx"),
        form("vif", "drivers/net/xen-netfront.c", "%s", "{if}", COMBINED, "eth0"),
        form("ibmvnic", "drivers/net/ethernet/ibm/ibmvnic.c", "ibmvnic-%x-rx%d", "ibmvnic-{dev}-rx{n}", RECEIVE, "ibmvnic-30000003-rx0"),
        form("ibmvnic", "drivers/net/ethernet/ibm/ibmvnic.c", "ibmvnic-%x-tx%d", "ibmvnic-{dev}-tx{n}", TRANSMIT, "ibmvnic-30000003-tx0"),
        form("ibmvnic", "drivers/net/ethernet/ibm/ibmvnic.c", "ibmvnic-%x", "ibmvnic-{dev}", CONTROL, "ibmvnic-30000003"),
        form("ibmveth", "drivers/net/ethernet/ibm/ibmveth.c", "%s (netdev->name)", "{if}", RECEIVE, "env2")
    );
    // spotless:on

    private DriverTable() {}

    private static IrqForm form(
            String driver, String source, String format, String template, IrqForm.Kind kind, String example) {
        return new IrqForm(driver, source, format, template, kind, example);
    }

    /** The rows of one driver, in table order. */
    static List<IrqForm> forms(String driver) {
        return FORMS.stream().filter(f -> f.driver().equals(driver)).toList();
    }

    /** Whether the table knows the driver. */
    static boolean knows(String driver) {
        return NO_LINES.contains(driver)
                || FORMS.stream().anyMatch(f -> f.driver().equals(driver));
    }
}
