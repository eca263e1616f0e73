package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.testing.Ports;
import io.github.sysloadexporter.testing.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package dumps the classes named in debian/sysload-exporter.classlist into a
 * class-data-sharing archive; a class missing from the list is loaded and linked at every start,
 * which costs memory. This test runs the exporter as a separate JVM that records what it loads,
 * scrapes it, and compares that with the committed list. Only the classes of the project and its
 * libraries are compared: which JDK classes load varies with the JDK build.
 */
class ClassListIT {
    static final Path COMMITTED = Repository.path("debian/sysload-exporter.classlist");
    static final List<String> OWN =
            List.of("io/github/sysloadexporter/", "picocli/", "io/prometheus/", "org/slf4j/", "org/eclipse/jetty/");
    static final double MIN_COVERAGE = 0.95;
    static final String REGENERATE = "run src/test/cds/update-classlist.sh (after mvn -B -q package -DskipTests)";

    /** The plain class names of a class list (not comments, not the @lambda lines), ours only. */
    static Set<String> ownClasses(Path classList) throws IOException {
        return Files.readAllLines(classList, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("@"))
                .map(l -> l.strip().split("\\s+", 2)[0])
                .filter(name -> OWN.stream().anyMatch(name::startsWith))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void committedListHasWhatAScrapeLoadsAndNothingStale(@TempDir Path tmp) throws Exception {
        Set<String> committed = ownClasses(COMMITTED);
        Set<String> loaded = ownClasses(runAndRecord(tmp));
        assertTrue(loaded.size() > 50, "too few of our classes recorded, is the test broken? " + loaded);

        Set<String> missing = new TreeSet<>(loaded);
        missing.removeAll(committed);
        double coverage = 1.0 - (double) missing.size() / loaded.size();
        assertTrue(
                coverage >= MIN_COVERAGE,
                String.format(
                        "%s lists only %.1f %% of the %d project and library classes a scrape loads, missing %s; %s",
                        COMMITTED, 100 * coverage, loaded.size(), missing, REGENERATE));

        ClassLoader loader = ClassListIT.class.getClassLoader();
        Set<String> stale = committed.stream()
                .filter(name -> loader.getResource(name + ".class") == null)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(stale.isEmpty(), COMMITTED + " names classes that no longer exist: " + stale + "; " + REGENERATE);
    }

    /** Starts the exporter with -XX:DumpLoadedClassList, scrapes it, stops it; returns the list. */
    static Path runAndRecord(Path tmp) throws Exception {
        Path list = tmp.resolve("loaded.classlist");
        int port = Ports.free();
        Process p = ExporterProcess.start(
                List.of("-XX:+UseSerialGC", "-XX:DumpLoadedClassList=" + list),
                "--web.listen-address",
                "127.0.0.1:" + port);
        try {
            Http http = new Http();
            String body = http.awaitFirstSample(port);
            assertTrue(body.contains("\nsysload_sysload "), "no sample served: " + body);
            // Once more, as Prometheus would scrape again.
            Thread.sleep(300);
            http.metrics(port);

            ExporterProcess.signal(p, "TERM");
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
            assertEquals(0, p.exitValue(), ExporterProcess.stderr(p));
        } finally {
            p.destroyForcibly();
        }
        return list;
    }
}
