package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sysloadexporter.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** -i and -b names that name nothing: one warning each; real names, and old-style IRQ names, none. */
class UnknownNamesTest {
    static final Path PROC = Fixtures.procfs("virtio-2cpu");
    static final Path SYS = Fixtures.sysfs("virtio-2cpu");

    static Config config(List<String> nics, List<String> disks) {
        return TestDaemon.config(PROC, SYS, nics, disks);
    }

    @Test
    void typosAreNamedRealNamesAreNot() {
        assertEquals(
                List.of(
                        "-i eht0: no interface of that name in " + SYS.resolve("class/net") + " and no line of "
                                + PROC.resolve("interrupts") + " names it; watched anyway, in case it appears",
                        "-b vdb: no block device of that name in " + SYS.resolve("block") + " or "
                                + PROC.resolve("diskstats") + "; watched anyway, in case it appears"),
                UnknownNames.warnings(
                        config(List.of("eth0", "virtio2-input", "eht0"), List.of("vda", "loop3", "vdb"))));
    }

    @Test
    void detectionGivesNoWarning() {
        assertEquals(List.of(), UnknownNames.warnings(config(List.of(), List.of())));
    }
}
