package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqFilter;
import io.github.sysloadexporter.procfs.IrqLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ties /proc/interrupts lines to a NIC and keeps those of its receive path: the CPUs that take
 * them do the NIC's receive softirq work, which is what {@code si_cpu} measures.
 */
public final class IrqMatcher {
    /** What may follow an interface name in a per-queue action name: eth0-rx-0, eth0_q1, eno1@... */
    private static final String NAME_SEPARATORS = "-_@.";
    /** Splits an action name into word parts, so that "tx" is found as a word and not in "TxRx". */
    private static final Pattern WORD_SPLIT = Pattern.compile("[-_@.:\\s]");
    /** Words of control vectors in the drivers' own names (see DriverTable). */
    private static final Pattern CONTROL_WORD =
            Pattern.compile("config|ctrl|control|event|async\\d*|cmd|pages|misc|mbx|mailbox|mgmnt|mgmt|err|error|notify"
                    + "|lsc|exn|admin\\d*|adminq|qerr|ptp|fdir|unused|aeq|sp");
    /** Words of combined queues: TxRx, Tx-Rx split into two words is caught by rx and tx together. */
    private static final Pattern COMBINED_WORD = Pattern.compile("txrx|rxtx|combined|fp|trx|virtqueues");

    private static final Pattern RX_WORD = Pattern.compile("rx\\d*|input|rxq\\d*");
    private static final Pattern TX_WORD = Pattern.compile("tx\\d*|output|txq\\d*|xdp");

    private IrqMatcher() {}

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
        NicForms forms = new NicForms(nic);
        List<Finding> findings = new ArrayList<>();
        for (IrqLine line : interrupts.lines()) {
            find(forms, line).ifPresent(findings::add);
        }
        return resolve(findings);
    }

    /**
     * The receive lines for an explicit {@code -i} name. A name that is an interface in
     * {@code class/net} is resolved like a detected NIC; any other name is a pattern.
     */
    public static List<IrqChoice> explicitIrqs(Path sysfs, String name, Interrupts interrupts) throws IOException {
        if (NicDetector.isInterface(sysfs, name)) {
            return receiveIrqs(NicDetector.describeWithSiblings(sysfs, name), interrupts);
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
            String action = actionContaining(pattern, line.actions());
            if (action != null) {
                choices.add(new IrqChoice(
                        line.irq(),
                        line.actions(),
                        true,
                        "action " + action + " contains the given name " + pattern
                                + " (not an interface: matched as the original did)"));
            }
        }
        return choices;
    }

    /** The first of the actions that contains the {@code -i} pattern, or null: the original's rule. */
    public static String actionContaining(String pattern, List<String> actions) {
        for (String action : actions) {
            if (action.contains(pattern)) {
                return action;
            }
        }
        return null;
    }

    /**
     * Whether a line may be one of these NICs', by the same ties {@link #classify} uses, as an
     * {@link IrqFilter} for reading /proc/interrupts (which lines keep their counts): each NIC's
     * forms are compiled once, here, not per line.
     */
    public static IrqFilter tiedTo(List<Nic> nics) {
        List<NicForms> all = new ArrayList<>(nics.size());
        for (Nic nic : nics) {
            all.add(new NicForms(nic));
        }
        return (irq, actions) -> {
            for (NicForms forms : all) {
                if (mayBelong(forms, irq, actions)) {
                    return true;
                }
            }
            return false;
        };
    }

    static boolean mayBelong(NicForms forms, String irq, List<String> actions) {
        Nic nic = forms.nic();
        Optional<Integer> number = irqNumber(irq);
        if (number.isPresent() && nic.msiIrqs().contains(number.get())) {
            return true;
        }
        for (String action : actions) {
            if (tie(forms, action) != null) {
                return true;
            }
        }
        return false;
    }

    /** Why the action is the NIC's, or null if nothing ties it. */
    private static String tie(NicForms forms, String action) {
        Nic nic = forms.nic();
        if (isNamedAfter(action, nic.name())) {
            return "action " + action + " is named after " + nic.name();
        }
        if (nic.busDevice().isPresent()
                && isVirtioAction(action, nic.busDevice().get())) {
            return "action " + action + " is " + nic.busDevice().get() + "'s";
        }
        if (nic.pciAddress().isPresent()
                && containsPciAddress(action, nic.pciAddress().get())) {
            return "action " + action + " names PCI function "
                    + nic.pciAddress().get();
        }
        for (NicForms.Compiled c : forms.exact()) {
            // ena's {if}-Tx-Rx-{n}; ibmvnic-{dev}-rx{n}, the VIO unit address inside the name
            if ((c.form().namesInterface() || c.form().namesDevice())
                    && c.match(action).isPresent()) {
                String whose = c.form().namesInterface()
                        ? nic.name()
                        : "device " + nic.busDevice().orElseThrow();
                return "action " + action + " is " + c.form().driver() + "'s "
                        + c.form().template() + " of " + whose;
            }
        }
        return null;
    }

    /** A line tied to the NIC, before the kinds that depend on the NIC's other lines are decided. */
    private record Finding(IrqLine line, String tie, IrqForm.Kind kind, IrqForm form, int number, String why) {}

    /** What one action name of the NIC is: a kind, the row that says so (or none), and why. */
    private record Verdict(IrqForm.Kind kind, IrqForm form, int number, String why) {}

    private static Optional<Finding> find(NicForms forms, IrqLine line) {
        Nic nic = forms.nic();
        List<String> reasons = new ArrayList<>();
        // the actions that tied the line to the NIC decide what it is
        List<String> matched = new ArrayList<>();
        for (String action : line.actions()) {
            String tie = tie(forms, action);
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
        String tie = String.join("; ", reasons);
        Verdict chosen = null;
        for (String action : matched) {
            Verdict v = verdict(forms, action);
            if (chosen == null || v.kind().receive() && !chosen.kind().receive()) {
                chosen = v;
            }
        }
        if (chosen == null) {
            // an MSI vector with no action name: nothing says it is transmit or control
            chosen = new Verdict(IrqForm.Kind.RECEIVE, null, -1, "unnamed vector of the NIC's PCI function");
        }
        return Optional.of(new Finding(line, tie, chosen.kind(), chosen.form(), chosen.number(), chosen.why()));
    }

    /** The kinds that depend on the NIC's other lines, decided; the choices in line order. */
    private static List<IrqChoice> resolve(List<Finding> findings) {
        boolean queues = false;
        for (Finding f : findings) {
            queues |= f.kind() == IrqForm.Kind.RECEIVE
                    || f.kind() == IrqForm.Kind.COMBINED
                    || f.kind() == IrqForm.Kind.TRANSMIT
                    || f.kind() == IrqForm.Kind.UPPER_HALF_RECEIVE;
        }
        List<IrqChoice> choices = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            boolean receive;
            String why = f.why();
            switch (f.kind()) {
                case SOLE -> {
                    receive = !queues;
                    why += queues
                            ? ": beside the NIC's queue vectors it is the \"other\" vector (link, mailbox)"
                            : ": the NIC's only vector (MSI/INTx), carrying all its traffic";
                }
                case UPPER_HALF_RECEIVE -> {
                    long blocks =
                            findings.stream().filter(o -> o.form() == f.form()).count();
                    receive = f.number() >= blocks / 2.0;
                    why += ": block " + f.number() + " of " + blocks
                            + (receive
                                    ? ", in the upper half: a receive queue's"
                                    : ", in the lower half: a transmit queue's");
                }
                default -> receive = f.kind().receive();
            }
            choices.add(new IrqChoice(
                    f.line().irq(),
                    f.line().actions(),
                    receive,
                    f.tie() + " -> " + (receive ? "receive: " : "not receive: ") + why));
        }
        return choices;
    }

    /**
     * What one action name of the NIC is: by its driver's row when the table has one (or, for
     * a name of another interface of the same PCI function, that interface's), else by its words.
     */
    private static Verdict verdict(NicForms forms, String action) {
        Nic nic = forms.nic();
        Optional<String> driver = nic.namingDriver();
        if (driver.isPresent() && DriverTable.knows(driver.get())) {
            for (NicForms.Compiled c : forms.exact()) {
                Optional<Matcher> m = c.match(action);
                if (m.isPresent()) {
                    return fromForm(c.form(), m.get(), "");
                }
            }
            // Of the forms that fit with any interface name, the one that leaves the shortest
            // name: eth0-tx-0 is {if}-tx-{n} of eth0, not {if}-{n} of "eth0-tx".
            IrqForm best = null;
            Matcher bestMatch = null;
            for (NicForms.Compiled c : forms.anyInterface()) {
                Optional<Matcher> m = c.match(action);
                if (m.isPresent()
                        && (bestMatch == null
                                || m.get().group("if").length()
                                        < bestMatch.group("if").length())) {
                    best = c.form();
                    bestMatch = m.get();
                }
            }
            if (best != null) {
                String other = bestMatch.group("if");
                if (nic.siblings().contains(other)) {
                    return new Verdict(
                            IrqForm.Kind.CONTROL,
                            best,
                            -1,
                            "a vector of " + other
                                    + ", another interface of the same PCI function (" + best.template() + ", "
                                    + best.driver() + ", " + best.source() + ")");
                }
                // named at probe, before udev gave the interface its name
                return fromForm(
                        best,
                        bestMatch,
                        ", named after " + other + ", the interface's name when the driver named its vectors");
            }
            if (DriverTable.EXHAUSTIVE.contains(driver.get())) {
                return new Verdict(IrqForm.Kind.CONTROL, null, -1, "no name " + driver.get() + " gives a queue vector");
            }
            return words(nic, action, "not a form of " + driver.get() + "'s table, by its words: ");
        }
        return words(
                nic,
                action,
                driver.map(d -> "driver " + d + " not in the table, by its words: ")
                        .orElse("driver unknown, by its words: "));
    }

    private static Verdict fromForm(IrqForm form, Matcher m, String note) {
        int number = -1;
        if (form.template().contains("{n}")) {
            String digits = m.group(IrqForm.NUMBER_GROUP);
            number = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        }
        String what = switch (form.kind()) {
            case RECEIVE -> "receive queue";
            case COMBINED -> "combined transmit/receive queue";
            case TRANSMIT -> "transmit-only queue";
            case CONTROL -> "control vector";
            case SOLE -> "bare interface name";
            case UPPER_HALF_RECEIVE -> "notification block";
        };
        return new Verdict(
                form.kind(),
                form,
                number,
                what + " (" + form.driver() + " " + form.template() + ", " + form.source() + " \"" + form.format()
                        + "\")" + note);
    }

    /**
     * The fallback for a driver the table does not know, or a name it lacks: control words
     * first, then a name that says both rx and tx is a combined queue, tx alone transmit-only;
     * the bare interface name decided as {@link IrqForm.Kind#SOLE}; any other a queue vector.
     */
    private static Verdict words(Nic nic, String action, String prefix) {
        if (action.equals(nic.name())) {
            return new Verdict(IrqForm.Kind.SOLE, null, -1, prefix + "bare interface name");
        }
        // the interface's own name is no word of the vector's: an interface called mgmt
        String rest =
                isNamedAfter(action, nic.name()) ? action.substring(nic.name().length()) : action;
        boolean rx = false;
        boolean tx = false;
        for (String word : WORD_SPLIT.split(rest)) {
            String w = word.toLowerCase(Locale.ROOT);
            if (CONTROL_WORD.matcher(w).matches()) {
                return new Verdict(IrqForm.Kind.CONTROL, null, -1, prefix + "control vector (" + word + ")");
            }
            if (COMBINED_WORD.matcher(w).matches()) {
                return new Verdict(IrqForm.Kind.COMBINED, null, -1, prefix + "combined queue (" + word + ")");
            }
            rx |= RX_WORD.matcher(w).matches();
            tx |= TX_WORD.matcher(w).matches();
        }
        if (rx && tx) {
            return new Verdict(IrqForm.Kind.COMBINED, null, -1, prefix + "says both rx and tx: combined queue");
        }
        if (tx) {
            return new Verdict(IrqForm.Kind.TRANSMIT, null, -1, prefix + "transmit-only queue");
        }
        if (rx) {
            return new Verdict(IrqForm.Kind.RECEIVE, null, -1, prefix + "receive queue");
        }
        return new Verdict(IrqForm.Kind.RECEIVE, null, -1, prefix + "queue vector, neither transmit-only nor control");
    }

    /** eth0, eth0-rx-0, eth0_q1, eth0@pci:... but not eth01 or eth0x. */
    static boolean isNamedAfter(String action, String iface) {
        if (!action.startsWith(iface)) {
            return false;
        }
        return action.length() == iface.length() || NAME_SEPARATORS.indexOf(action.charAt(iface.length())) >= 0;
    }

    /** virtio2 and virtio2-input.0, but not virtio21-input.0; likewise vif0-q0-rx. */
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
