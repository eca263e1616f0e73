package io.github.sysloadexporter.detect;

/**
 * What one action name tied to a NIC says its vector is: the first stage of classifying a
 * line (see {@link IrqMatcher}).
 *
 * @param kind   receive, transmit, control, ...
 * @param form   the row of {@link DriverTable} that says so, or null when its words did
 * @param number the queue or block number the row's {@code {n}} matched, or -1
 * @param why    the rule, in words, for {@code --info}
 */
record ActionKind(IrqForm.Kind kind, IrqForm form, int number, String why) {}
