package io.github.sysloadexporter.procfs;

import io.github.sysloadexporter.FixtureRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the fixture trees of src/test/resources/fixtures in place. */
final class Fixtures {
    private Fixtures() {
    }

    /** The fixture {@code <relative>} under src/test/resources/fixtures. */
    static Path dir(String relative) {
        Path p = FixtureRoot.of(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("no fixture " + p);
        }
        return p;
    }
    /** The text of one fixture file, decoded as ProcFs decodes it (one char per byte). */
    static String text(String relative) throws IOException {
        return Files.readString(dir(relative), StandardCharsets.ISO_8859_1);
    }
}
