package io.github.sysloadexporter.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.procfs.Interrupts;
import io.github.sysloadexporter.procfs.ProcFs;
import io.github.sysloadexporter.testing.Fixtures;
import io.github.sysloadexporter.testing.Readme;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the driver table, tested on a line of a fixture host: some NIC of some host
 * under src/test/resources/fixtures has a /proc/interrupts line that the row classifies,
 * and the choice made for it is the row's.
 */
class DriverTableTest {
    /** One line of one NIC of one fixture host, as detection classified it. */
    record Classified(String host, String nic, IrqChoice choice) {}

    static final List<Classified> ALL = classifyEveryHost();

    static List<Classified> classifyEveryHost() {
        List<Classified> all = new ArrayList<>();
        try (DirectoryStream<Path> hosts = Files.newDirectoryStream(Fixtures.root())) {
            for (Path host : hosts) {
                if (!Files.isDirectory(host.resolve("sys/class/net"))
                        || !Files.exists(host.resolve("proc/interrupts"))) {
                    continue;
                }
                Interrupts irqs = new ProcFs(host.resolve("proc")).interrupts();
                for (Nic nic : NicDetector.scan(host.resolve("sys")).nics()) {
                    for (IrqChoice c : IrqMatcher.classify(nic, irqs)) {
                        all.add(new Classified(host.getFileName().toString(), nic.name(), c));
                    }
                }
            }
        } catch (IOException | io.github.sysloadexporter.procfs.ProcfsFormatException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }

    static Stream<IrqForm> rows() {
        return DriverTable.FORMS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyRowClassifiesAFixtureLineAsItSays(IrqForm row) {
        String mark = "(" + row.driver() + " " + row.template() + ", " + row.source() + " ";
        Optional<Classified> hit =
                ALL.stream().filter(c -> c.choice().why().contains(mark)).findFirst();
        assertTrue(hit.isPresent(), "no fixture line of " + row.driver() + " " + row.template());
        IrqChoice c = hit.get().choice();
        switch (row.kind()) {
            case RECEIVE, COMBINED -> assertTrue(c.receive(), hit.get().toString());
            case TRANSMIT, CONTROL -> assertEquals(false, c.receive(), hit.get().toString());
            default -> {} // decided by the NIC's other lines: the host tests say how
        }
    }

    /** A driver added to the table is documented too: README's table names it in a row's first cell. */
    @Test
    void everyDriverIsInReadmesTable() {
        Set<String> documented = new TreeSet<>();
        for (String row : Readme.section("### Supported NIC drivers").split("\n")) {
            String[] cells = row.split("\\|");
            if (row.startsWith("|") && cells.length > 1) {
                documented.addAll(List.of(cells[1].trim().split("[\\s,()]+")));
            }
        }
        Set<String> drivers = new TreeSet<>();
        DriverTable.FORMS.forEach(f -> drivers.add(f.driver()));
        drivers.addAll(DriverTable.NO_LINES);
        drivers.removeAll(documented);
        assertEquals(Set.of(), drivers, "drivers of DriverTable missing from README's supported-driver table");
    }
}
