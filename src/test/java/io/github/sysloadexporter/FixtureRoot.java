package io.github.sysloadexporter;

import java.nio.file.Path;

/**
 * Where the fixture trees are: read in place from the source tree, because Maven's resource
 * copy follows symlinks and would unroll the sysfs device/net/eth0/device loop.
 */
public final class FixtureRoot {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"), "src/test/resources/fixtures");

    private FixtureRoot() {
    }

    /** {@code src/test/resources/fixtures/<relative>}. */
    public static Path of(String relative) {
        return ROOT.resolve(relative);
    }
}
