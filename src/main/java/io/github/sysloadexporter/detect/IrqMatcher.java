package io.github.sysloadexporter.detect;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.IrqLine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Ties /proc/interrupts lines to a NIC and keeps those of its receive path: the CPUs that take
 * them do the NIC's receive softirq work, which is what {@code si_cpu} measures.
 *
 * <p>A line is classified in three stages, each with a name of its own: each action name tied
 * to the NIC is read as an {@link ActionKind} (by its driver's row in {@link DriverTable}, else
 * by its words, {@link ActionWords}); the line, with its strongest kind, is a {@link TiedLine};
 * the NIC's lines weighed together (a bare name beside queue vectors, upper and lower halves of
 * notification blocks) end as an {@link IrqChoice}, receive or not, with why.
 */
public final class IrqMatcher {
    /** What may follow an interface name in a per-queue action name: eth0-rx-0, eth0_q1, eno1@... */
    private static final String NAME_SEPARATORS = "-_@.";

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
        List<TiedLine> tied = new ArrayList<>();
        for (IrqLine line : interrupts.lines()) {
            find(forms, line).ifPresent(tied::add);
        }
        return resolve(tied);
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
    private record TiedLine(IrqLine line, String tie, IrqForm.Kind kind, IrqForm form, int number, String why) {}

    private static Optional<TiedLine> find(NicForms forms, IrqLine line) {
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
        ActionKind chosen = null;
        for (String action : matched) {
            ActionKind v = verdict(forms, action);
            if (chosen == null || v.kind().receive() && !chosen.kind().receive()) {
                chosen = v;
            }
        }
        if (chosen == null) {
            // an MSI vector with no action name: nothing says it is transmit or control
            chosen = new ActionKind(IrqForm.Kind.RECEIVE, null, -1, "unnamed vector of the NIC's PCI function");
        }
        return Optional.of(new TiedLine(line, tie, chosen.kind(), chosen.form(), chosen.number(), chosen.why()));
    }

    /** The kinds that depend on the NIC's other lines, decided; the choices in line order. */
    private static List<IrqChoice> resolve(List<TiedLine> tied) {
        boolean queues = false;
        for (TiedLine f : tied) {
            queues |= f.kind() == IrqForm.Kind.RECEIVE
                    || f.kind() == IrqForm.Kind.COMBINED
                    || f.kind() == IrqForm.Kind.TRANSMIT
                    || f.kind() == IrqForm.Kind.UPPER_HALF_RECEIVE;
        }
        List<IrqChoice> choices = new ArrayList<>(tied.size());
        for (TiedLine f : tied) {
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
                            tied.stream().filter(o -> o.form() == f.form()).count();
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
    private static ActionKind verdict(NicForms forms, String action) {
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
                    return new ActionKind(
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
                return new ActionKind(
                        IrqForm.Kind.CONTROL, null, -1, "no name " + driver.get() + " gives a queue vector");
            }
            return ActionWords.kind(nic, action, "not a form of " + driver.get() + "'s table, by its words: ");
        }
        return ActionWords.kind(
                nic,
                action,
                driver.map(d -> "driver " + d + " not in the table, by its words: ")
                        .orElse("driver unknown, by its words: "));
    }

    private static ActionKind fromForm(IrqForm form, Matcher m, String note) {
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
        return new ActionKind(
                form.kind(),
                form,
                number,
                what + " (" + form.driver() + " " + form.template() + ", " + form.source() + " \"" + form.format()
                        + "\")" + note);
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
