package io.github.sysloadexporter.detect;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One way a NIC driver names an IRQ vector, read from the driver's source, and what the
 * vector carries.
 *
 * @param driver   the driver as sysfs names it ({@code device/driver}), e.g. {@code ena}
 * @param source   the kernel source file that names the vector
 * @param format   the name's printf format there, e.g. {@code %s-Tx-Rx-%d}
 * @param template the name as /proc/interrupts shows it: {@code {if}} the interface,
 *                 {@code {pci}} the PCI function, {@code {dev}} the bus device the driver
 *                 names vectors after (virtio2, vif0), {@code {n}} a decimal number,
 *                 {@code {hex2}} two hex digits, {@code {cut}} whatever of the name the
 *                 driver's buffer kept; the rest literal
 * @param kind     what the vector carries
 * @param example  a name of this form, as a fixture host shows it
 */
public record IrqForm(String driver, String source, String format, String template, Kind kind, String example) {

    /** What a vector carries. */
    public enum Kind {
        /** A receive queue: a receive line. */
        RECEIVE,
        /** One vector for a queue pair's transmit and receive: a receive line. */
        COMBINED,
        /** Transmit completions only. */
        TRANSMIT,
        /** Configuration, mailbox, async events, link, errors, management, RDMA, ... */
        CONTROL,
        /**
         * The bare name some drivers give both their "other" vector beside per-queue vectors
         * (control) and their only vector in MSI/INTx mode (all traffic): decided by whether
         * the NIC has per-queue lines.
         */
        SOLE,
        /**
         * gve's notification blocks: the lower half serve transmit queues, the upper half
         * receive queues ({@code gve_rx_idx_to_ntfy}); decided by the block's number.
         */
        UPPER_HALF_RECEIVE;

        /** Whether a vector of this kind, once resolved, is a receive line. */
        public boolean receive() {
            return this == RECEIVE || this == COMBINED;
        }
    }

    /** The values a template's placeholders take for one NIC; empty ones match nothing. */
    record Names(String iface, Optional<String> pci, Optional<String> device) {}

    /** The number in the name, for {@link Kind#UPPER_HALF_RECEIVE}; -1 if none. */
    static final String NUMBER_GROUP = "n";

    /** Whether the template names the interface, so that another interface's vector can be told. */
    boolean namesInterface() {
        return template.contains("{if}");
    }

    /** Whether the name says whose it is by the bus device (virtio2, vif0, a VIO unit address). */
    boolean namesDevice() {
        return template.contains("{dev}");
    }

    /**
     * This form as a pattern for the NIC's names; {@code anyInterface} lets {@code {if}} stand
     * for any name (to recognise another interface's vector, or a name the interface had when
     * the driver named its vectors at probe). Empty when the NIC lacks a name the form needs.
     */
    Optional<Pattern> pattern(Names names, boolean anyInterface) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        boolean numbered = false;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                re.append(Pattern.quote(template.substring(i)));
                break;
            }
            if (open > i) {
                re.append(Pattern.quote(template.substring(i, open)));
            }
            int close = template.indexOf('}', open);
            String token = template.substring(open + 1, close);
            switch (token) {
                case "if" -> re.append(anyInterface ? "(?<if>\\S+?)" : Pattern.quote(names.iface()));
                case "pci" -> {
                    if (names.pci().isEmpty()) {
                        return Optional.empty();
                    }
                    re.append(Pattern.quote(names.pci().get()));
                }
                case "dev" -> {
                    if (names.device().isEmpty()) {
                        return Optional.empty();
                    }
                    re.append(Pattern.quote(names.device().get()));
                }
                case "n" -> {
                    re.append(numbered ? "\\d+" : "(?<" + NUMBER_GROUP + ">\\d+)");
                    numbered = true;
                }
                case "hex2" -> re.append("[0-9a-f]{2}");
                case "cut" -> re.append(".*");
                default -> throw new IllegalStateException("unknown placeholder {" + token + "} in " + template);
            }
            i = close + 1;
        }
        return Optional.of(Pattern.compile(re.toString()));
    }
}
