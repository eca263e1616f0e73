package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The exporter as an operator meets it: the packaged jar in a JVM of its own, started from the
 * command line. The jar is the one mvn -B verify builds before it runs the ITs (the pom passes
 * its path as exporter.jar).
 */
final class ExporterProcess {
    /** How a run that ended went. */
    record Result(int exit, String out, String err) {}

    private ExporterProcess() {}

    /** Starts the exporter with these arguments. */
    static Process start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** Starts the exporter with extra JVM options (before -jar). */
    static Process start(List<String> jvmOptions, String... args) throws IOException {
        return builder(jvmOptions, args).start();
    }

    /** The exporter's command line, for a test that sets its environment or redirects its output. */
    static ProcessBuilder builder(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private static Path jar() {
        String jar = System.getProperty("exporter.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no exporter jar " + jar + ": the ITs run in mvn -B verify, after package");
        }
        return Path.of(jar);
    }

    /** Runs the exporter to its end (at most 30 s). */
    static Result run(String... args) throws IOException, InterruptedException {
        Process p = start(args);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not exit");
        return new Result(
                p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), stderr(p));
    }

    /** Sends a signal by name (TERM, HUP), as an operator's kill does. */
    static void signal(Process p, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    /** All the process wrote on stderr; waits for it to end. */
    static String stderr(Process p) throws IOException {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Bad input: one line on stderr, nothing on stdout, status 2. */
    static void assertUsageError(Result r, String mentions) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(mentions), r.err());
        assertEquals("", r.out());
    }
}
