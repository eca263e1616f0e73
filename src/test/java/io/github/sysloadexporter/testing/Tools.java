package io.github.sysloadexporter.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The programs some ITs call (openssl, curl, promtool, prometheus): Debian's, under /usr/bin. */
public final class Tools {
    private Tools() {}

    /**
     * The tool's path. Where it is missing the test is skipped, saying so, except under CI
     * (CI set), where .ci/run must have installed it and the test fails instead.
     */
    public static Path require(String tool) {
        Path p = Path.of("/usr/bin", tool);
        if (!Files.isExecutable(p)) {
            assertTrue(System.getenv("CI") == null, tool + " missing: .ci/run must install it");
            Assumptions.abort(tool + " not installed");
        }
        return p;
    }
}
