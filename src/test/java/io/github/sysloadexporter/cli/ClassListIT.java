package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Repository;
import io.github.sysloadexporter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package dumps the classes named in debian/classlists into two class-data-sharing
 * archives, one for a plain and one for a TLS start, which the launcher maps; a list that has
 * fallen behind the code makes the dump warn and leaves classes out, to be loaded and linked at
 * every start. src/test/cds/check-archives.sh checks both archives on one Java runtime: dumped
 * without a warning from the built jar, mapped by the start the launcher chooses each for, and
 * listing what a scrape of that start loads. This runs it on the JDK of the build, or on
 * {@code -Dcds.java.home=DIR} (another JDK whose lists are committed; Debian 13's 21 and 25 are
 * checked in their own roots, as the script's header says).
 */
class ClassListIT {
    @Test
    void archivesAreExactAndMapped(@TempDir Path tmp) throws Exception {
        Tools.require("curl");
        Tools.require("openssl");
        String javaHome = System.getProperty("cds.java.home", System.getProperty("java.home"));
        Path out = tmp.resolve("check-archives.out");
        ProcessBuilder pb = new ProcessBuilder("bash", "src/test/cds/check-archives.sh", javaHome)
                .directory(Repository.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("JAR", System.getProperty("exporter.jar"));
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "check-archives.sh still running after 5 minutes");
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.print(output); // what was checked, in the build's log
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("check-archives: OK"), output);
    }
}
