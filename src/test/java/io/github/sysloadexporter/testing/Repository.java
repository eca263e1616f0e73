package io.github.sysloadexporter.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checked-out repository, for tests that read its files (README, sources, fixtures, the
 * class list). Found from where the test classes were loaded (target/test-classes), up to the
 * directory that holds pom.xml, so that a test run from an IDE or another working directory
 * reads the same files as Maven's.
 */
public final class Repository {
    private static final Path ROOT = find();

    private Repository() {}

    /** The directory that holds pom.xml. */
    public static Path root() {
        return ROOT;
    }

    /** A path relative to the repository root, e.g. {@code "README.md"}. */
    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    private static Path find() {
        Path classes;
        try {
            classes = Path.of(Repository.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path p = classes; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no pom.xml in " + classes + " or above it");
    }
}
