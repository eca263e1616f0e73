package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ties /proc/interrupts lines to a NIC and keeps those of its receive path: the CPUs that take
 * them do the NIC's receive softirq work, which is what {@code si_cpu} measures.
 */
public final class IrqMatcher {
    /** What may follow an interface name in a per-queue action name: eth0-rx-0, eth0_q1, eno1@... */
    private static final String NAME_SEPARATORS = "-_@.";
    /** Splits an action name into word parts, so that "tx" is found as a word and not in "TxRx". */
    private static final Pattern WORD_SPLIT = Pattern.compile("[-_@.:]");
    /** virtio-net receive queues: input.0, input.1, ... */
    private static final Pattern VIRTIO_INPUT = Pattern.compile("input\\.\\d+");
    /** virtio-net transmit queues. */
    private static final Pattern VIRTIO_OUTPUT = Pattern.compile("output\\.\\d+");
    /**
     * Word parts of control vectors: virtio's -config, vsock's -event, -ctrl queues, mlx5's
     * async (and, on older kernels, cmd/pages) event queues, i40e's misc, ixgbevf's mbx.
     */
    private static final Pattern CONTROL_WORD =
            Pattern.compile("config|ctrl|control|event|async\\d*|cmd|pages|misc|mbx");

    private IrqMatcher() {
    }

    /** The lines of the NIC's receive path, in /proc/interrupts order. */
    public static List<IrqChoice> receiveIrqs(Nic nic, Interrupts interrupts) {
        List<IrqChoice> receive = new ArrayList<>();
        for (IrqChoice choice : classify(nic, interrupts)) {
            if (choice.receive()) {
                receive.add(choice);
            }
        }
        return receive;
    }

    /**
     * Every line that belongs to the NIC, receive or not, for {@code --info}.
     */
    public static List<IrqChoice> classify(Nic nic, Interrupts interrupts) {
        List<IrqChoice> choices = new ArrayList<>();
        for (IrqLine line : interrupts.lines()) {
            classify(nic, line).ifPresent(choices::add);
        }
        return choices;
    }

    /**
     * The receive lines for an explicit {@code -i} name. A name that is an interface in
     * {@code class/net} is resolved like a detected NIC; any other name is a pattern.
     */
    public static List<IrqChoice> explicitIrqs(Path sysfs, String name, Interrupts interrupts)
            throws IOException {
        if (NicDetector.isInterface(sysfs, name)) {
            return receiveIrqs(NicDetector.describe(sysfs, name), interrupts);
        }
        return patternIrqs(name, interrupts);
    }

    /**
     * The lines with an action containing {@code pattern}, a {@code -i} name that is no
     * interface (the original's style, e.g. {@code virtio2-input}), as the original selected
     * them: without the transmit/control filter, since the operator chose it.
     */
    public static List<IrqChoice> patternIrqs(String pattern, Interrupts interrupts) {
        List<IrqChoice> choices = new ArrayList<>();
        for (IrqLine line : interrupts.lines()) {
            for (String action : line.actions()) {
                if (action.contains(pattern)) {
                    choices.add(new IrqChoice(line.irq(), line.actions(), true,
                            "action " + action + " contains the given name " + pattern
                                    + " (not an interface: matched as the original did)"));
                    break;
                }
            }
        }
        return choices;
    }

    /**
     * Whether a line may be the NIC's, by the same ties {@link #classify} uses: cheap enough to
     * decide, while /proc/interrupts is read, which lines keep their counts.
     */
    public static boolean mayBelong(Nic nic, String irq, List<String> actions) {
        Optional<Integer> number = irqNumber(irq);
        if (number.isPresent() && nic.msiIrqs().contains(number.get())) {
            return true;
        }
        for (String action : actions) {
            if (tie(nic, action) != null) {
                return true;
            }
        }
        return false;
    }

    /** Why the action is the NIC's, or null if nothing ties it. */
    private static String tie(Nic nic, String action) {
        if (isNamedAfter(action, nic.name())) {
            return "action " + action + " is named after " + nic.name();
        }
        if (nic.virtioDevice().isPresent() && isVirtioAction(action, nic.virtioDevice().get())) {
            return "action " + action + " is " + nic.virtioDevice().get() + "'s";
        }
        if (nic.pciAddress().isPresent() && containsPciAddress(action, nic.pciAddress().get())) {
            return "action " + action + " names PCI function " + nic.pciAddress().get();
        }
        return null;
    }

    private static Optional<IrqChoice> classify(Nic nic, IrqLine line) {
        List<String> reasons = new ArrayList<>();
        // the actions that tied the line to the NIC decide whether it is a receive line
        List<String> matched = new ArrayList<>();
        for (String action : line.actions()) {
            String tie = tie(nic, action);
            if (tie != null) {
                reasons.add(tie);
                matched.add(action);
            }
        }
        Optional<Integer> number = irqNumber(line.irq());
        if (number.isPresent() && nic.msiIrqs().contains(number.get())) {
            reasons.add("IRQ " + number.get() + " is an MSI vector of "
                    + nic.pciAddress().orElse("its PCI function"));
            if (matched.isEmpty()) {
                // an MSI vector is not shared, so all of its actions are the NIC's
                matched.addAll(line.actions());
            }
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        String verdictWhy = null;
        boolean receive = false;
        for (String action : matched) {
            Verdict verdict = verdict(nic, action);
            if (verdict.receive()) {
                receive = true;
                verdictWhy = verdict.why();
                break;
            }
            if (verdictWhy == null) {
                verdictWhy = verdict.why();
            }
        }
        if (verdictWhy == null) {
            // an MSI vector with no action name: nothing says it is transmit or control
            receive = true;
            verdictWhy = "unnamed vector of the NIC's PCI function";
        }
        String why = String.join("; ", reasons) + " -> " + (receive ? "receive: " : "not receive: ") + verdictWhy;
        return Optional.of(new IrqChoice(line.irq(), line.actions(), receive, why));
    }

    private record Verdict(boolean receive, String why) {
    }

    /** Decides whether one action name of the NIC is a receive line. */
    private static Verdict verdict(Nic nic, String action) {
        if (nic.virtioDevice().isPresent() && isVirtioAction(action, nic.virtioDevice().get())) {
            return virtioVerdict(action, nic.virtioDevice().get());
        }
        String[] words = WORD_SPLIT.split(action);
        for (String word : words) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.equals("tx")) {
                return new Verdict(false, "transmit-only queue (tx)");
            }
            if (CONTROL_WORD.matcher(w).matches()) {
                return new Verdict(false, "control vector (" + word + ")");
            }
        }
        if (action.equals(nic.name())) {
            // The bare name is the only vector of single-vector drivers (e1000, r8169, ...), so
            // it must count; on multi-queue drivers such as ixgbe it is the link/"other" vector,
            // whose few interrupts the CPU-group rule drops as strays.
            return new Verdict(true, "bare interface name: the only vector of a single-vector "
                    + "driver, or a multi-queue driver's link vector (its few interrupts are "
                    + "dropped as strays by the CPU-group rule)");
        }
        for (String word : words) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.equals("txrx") || w.equals("rxtx") || w.equals("combined")) {
                return new Verdict(true, "combined receive/transmit queue (" + word + ")");
            }
            if (w.equals("rx")) {
                return new Verdict(true, "receive queue (" + word + ")");
            }
        }
        return new Verdict(true, "queue vector not marked transmit-only or control");
    }

    /** virtio-net names its vectors virtioN-config, virtioN-input.K, virtioN-output.K. */
    private static Verdict virtioVerdict(String action, String virtio) {
        if (action.equals(virtio)) {
            // legacy INTx: one shared line for config and every queue
            return new Verdict(true, "INTx line of " + virtio + ", serving all its queues");
        }
        String queue = action.substring(virtio.length() + 1);
        if (VIRTIO_INPUT.matcher(queue).matches()) {
            return new Verdict(true, "virtio receive queue (" + queue + ")");
        }
        if (queue.equals("virtqueues")) {
            // too few MSI-X vectors: one vector for all queues, receive included
            return new Verdict(true, "one vector shared by all queues of " + virtio);
        }
        if (VIRTIO_OUTPUT.matcher(queue).matches()) {
            return new Verdict(false, "virtio transmit queue (" + queue + ")");
        }
        if (queue.equals("config")) {
            return new Verdict(false, "virtio configuration-change vector");
        }
        return new Verdict(false, "virtio queue other than input.N (" + queue + ")");
    }

    /** eth0, eth0-rx-0, eth0_q1, eth0@pci:... but not eth01 or eth0x. */
    static boolean isNamedAfter(String action, String iface) {
        if (!action.startsWith(iface)) {
            return false;
        }
        return action.length() == iface.length()
                || NAME_SEPARATORS.indexOf(action.charAt(iface.length())) >= 0;
    }

    /** virtio2 and virtio2-input.0, but not virtio21-input.0. */
    static boolean isVirtioAction(String action, String virtio) {
        return action.equals(virtio) || action.startsWith(virtio + "-");
    }

    /** The address as a whole token: 0000:5e:00.0 is not found in 10000:5e:00.0. */
    static boolean containsPciAddress(String action, String address) {
        int from = 0;
        while (true) {
            int at = action.indexOf(address, from);
            if (at < 0) {
                return false;
            }
            int end = at + address.length();
            boolean startOk = at == 0 || Character.digit(action.charAt(at - 1), 16) < 0;
            boolean endOk = end == action.length() || !Character.isLetterOrDigit(action.charAt(end));
            if (startOk && endOk) {
                return true;
            }
            from = at + 1;
        }
    }

    private static Optional<Integer> irqNumber(String label) {
        if (label.isEmpty() || label.length() > 9 || !label.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(label));
    }

    /** Convenience for callers: the labels of a list of choices. */
    public static Set<String> labels(List<IrqChoice> choices) {
        Set<String> labels = new LinkedHashSet<>();
        for (IrqChoice choice : choices) {
            labels.add(choice.irq());
        }
        return labels;
    }
}
