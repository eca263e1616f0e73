package io.github.sysloadexporter.procfs;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the fixture trees of src/test/resources/fixtures through the test classpath. */
final class Fixtures {
    private Fixtures() {
    }

    /** The directory {@code /fixtures/<relative>} on the test classpath. */
    static Path dir(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalStateException("no fixture " + relative);
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of one fixture file, decoded as ProcFs decodes it (one char per byte). */
    static String text(String relative) throws IOException {
        return Files.readString(dir(relative), StandardCharsets.ISO_8859_1);
    }
}
