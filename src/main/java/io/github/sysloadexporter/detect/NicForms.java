package io.github.sysloadexporter.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NIC with its driver's name forms compiled for its names, once per scan: detection tests
 * every /proc/interrupts line against them, and compiling a pattern per test was most of what
 * a rescan cost.
 */
final class NicForms {
    /** One row of the table and its pattern for this NIC. */
    record Compiled(IrqForm form, Pattern pattern) {
        Optional<Matcher> match(String action) {
            Matcher m = pattern.matcher(action);
            return m.matches() ? Optional.of(m) : Optional.empty();
        }
    }

    private final Nic nic;
    private final List<Compiled> exact = new ArrayList<>();
    private final List<Compiled> anyInterface = new ArrayList<>();

    NicForms(Nic nic) {
        this.nic = nic;
        Optional<String> driver = nic.namingDriver();
        if (driver.isEmpty()) {
            return;
        }
        IrqForm.Names names = new IrqForm.Names(nic.name(), nic.pciAddress(), nic.busDevice());
        for (IrqForm form : DriverTable.forms(driver.get())) {
            form.pattern(names, false).ifPresent(p -> exact.add(new Compiled(form, p)));
            // the bare {if} matches any name: only forms with more to them say whose a name is
            if (form.namesInterface() && !form.template().equals("{if}")) {
                form.pattern(names, true).ifPresent(p -> anyInterface.add(new Compiled(form, p)));
            }
        }
    }

    Nic nic() {
        return nic;
    }

    /** The driver's forms with this NIC's names, in table order. */
    List<Compiled> exact() {
        return exact;
    }

    /** The forms that name an interface, with any interface name in its place. */
    List<Compiled> anyInterface() {
        return anyInterface;
    }
}
