package io.github.sysloadexporter.detect;

import java.util.Locale;
import java.util.regex.Pattern;

/** What an action name says by its words, where no row of {@link DriverTable} says what it is. */
final class ActionWords {
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

    private ActionWords() {}

    /**
     * The fallback for a driver the table does not know, or a name it lacks: control words
     * first, then a name that says both rx and tx is a combined queue, tx alone transmit-only;
     * the bare interface name decided as {@link IrqForm.Kind#SOLE}; any other a queue vector.
     */
    static ActionKind kind(Nic nic, String action, String prefix) {
        if (action.equals(nic.name())) {
            return new ActionKind(IrqForm.Kind.SOLE, null, -1, prefix + "bare interface name");
        }
        // the interface's own name is no word of the vector's: an interface called mgmt
        String rest = IrqMatcher.isNamedAfter(action, nic.name())
                ? action.substring(nic.name().length())
                : action;
        boolean rx = false;
        boolean tx = false;
        for (String word : WORD_SPLIT.split(rest)) {
            String w = word.toLowerCase(Locale.ROOT);
            if (CONTROL_WORD.matcher(w).matches()) {
                return new ActionKind(IrqForm.Kind.CONTROL, null, -1, prefix + "control vector (" + word + ")");
            }
            if (COMBINED_WORD.matcher(w).matches()) {
                return new ActionKind(IrqForm.Kind.COMBINED, null, -1, prefix + "combined queue (" + word + ")");
            }
            rx |= RX_WORD.matcher(w).matches();
            tx |= TX_WORD.matcher(w).matches();
        }
        if (rx && tx) {
            return new ActionKind(IrqForm.Kind.COMBINED, null, -1, prefix + "says both rx and tx: combined queue");
        }
        if (tx) {
            return new ActionKind(IrqForm.Kind.TRANSMIT, null, -1, prefix + "transmit-only queue");
        }
        if (rx) {
            return new ActionKind(IrqForm.Kind.RECEIVE, null, -1, prefix + "receive queue");
        }
        return new ActionKind(
                IrqForm.Kind.RECEIVE, null, -1, prefix + "queue vector, neither transmit-only nor control");
    }
}
