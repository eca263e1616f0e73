package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Fixtures;
import io.github.sysloadexporter.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log as an operator reads it: the jar over the virtio guest's fixture trees, its stderr in
 * a file; the start-up inventory and the -b warning, with a timestamp on every line, or none
 * when stderr is the journal's stream (JOURNAL_STREAM naming it, as systemd sets it).
 */
class LogsIT {
    static final Pattern TIMESTAMP =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) ");

    @TempDir
    Path dir;

    /** Runs the exporter until its inventory is logged, stops it; returns its stderr. */
    String run(boolean underJournal) throws Exception {
        Path err = Files.createFile(dir.resolve("stderr-" + underJournal));
        ProcessBuilder b = ExporterProcess.builder(
                List.of(),
                "--web.listen-address",
                "127.0.0.1:" + Ports.free(),
                "--path.procfs",
                Fixtures.procfs("virtio-2cpu").toString(),
                "--path.sysfs",
                Fixtures.sysfs("virtio-2cpu").toString(),
                "-b",
                "vda,vdz");
        // Whatever runs the build (a CI service) may have set these for itself.
        b.environment().remove("JOURNAL_STREAM");
        b.environment().remove("INVOCATION_ID");
        if (underJournal) {
            // what systemd puts there: the device and inode of the stream it gave as stderr
            b.environment()
                    .put(
                            "JOURNAL_STREAM",
                            Files.getAttribute(err, "unix:dev") + ":" + Files.getAttribute(err, "unix:ino"));
        }
        b.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        Process p = b.start();
        try {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!Files.readString(err).contains("watching disk vdz")
                    && System.nanoTime() < deadline
                    && p.isAlive()) {
                Thread.sleep(100);
            }
            ExporterProcess.signal(p, "TERM");
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
            assertEquals(0, p.exitValue(), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(err);
    }

    static void assertInventoryAndWarning(List<String> lines, String all) {
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO Main - sysload-exporter ")), all);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN Main - -b vdz: no block device of that name")), all);
        int nic = lines.indexOf("INFO Sampler - watching NIC eth0: receive IRQ 38, no CPU seen serving it yet"
                + " (its CPU group is all CPUs until one is)");
        assertTrue(nic >= 0, all);
        assertEquals("INFO Sampler - watching disk vda", lines.get(nic + 1), all);
        assertEquals("INFO Sampler - watching disk vdz", lines.get(nic + 2), all);
        assertEquals("INFO Main - stopping", lines.get(lines.size() - 1), all);
    }

    @Test
    void timestampedInventoryOutsideTheJournal() throws Exception {
        String err = run(false);
        List<String> lines = err.lines().toList();
        for (String line : lines) {
            assertTrue(TIMESTAMP.matcher(line).lookingAt(), "no timestamp: " + line + "\n" + err);
        }
        assertInventoryAndWarning(
                lines.stream().map(l -> TIMESTAMP.matcher(l).replaceFirst("")).toList(), err);
    }

    @Test
    void noTimestampsWhenStderrIsTheJournal() throws Exception {
        String err = run(true);
        List<String> lines = err.lines().toList();
        for (String line : lines) {
            assertTrue(
                    line.startsWith("INFO ") || line.startsWith("WARN "), "not a bare log line: " + line + "\n" + err);
        }
        assertInventoryAndWarning(lines, err);
    }
}
