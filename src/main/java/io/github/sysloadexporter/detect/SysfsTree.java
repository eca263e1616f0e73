package io.github.sysloadexporter.detect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The reads that the NIC and disk scans both make of a sysfs tree. */
final class SysfsTree {
    private SysfsTree() {}

    /** Names in a directory, sorted so that scans and reports are stable. */
    static List<String> sortedEntries(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }

    /** The path as seen from the sysfs root, so --info shows {@code devices/...} as ls -l would. */
    static String relative(Path sysfs, Path target) {
        try {
            Path root = sysfs.toRealPath();
            if (target.startsWith(root)) {
                return root.relativize(target).toString();
            }
        } catch (IOException e) {
            // fall through: the absolute path is still informative
        }
        return target.toString();
    }

    /**
     * An attribute's value without its newline; empty if it cannot be read: absent on this
     * kernel, or a driver that answers the read with an error (phys_port_name: EOPNOTSUPP).
     */
    static Optional<String> attribute(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
