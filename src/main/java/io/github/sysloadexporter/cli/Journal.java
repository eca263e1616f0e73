package io.github.sysloadexporter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether stderr is systemd's journal, which stamps every line with its own time (so the
 * exporter's lines then carry none). systemd sets JOURNAL_STREAM to the device and inode of
 * the stream it connected; a program started by the service that inherits the variable but
 * writes elsewhere (a wrapper that redirects stderr to a file) is told apart by comparing them
 * with stderr's own, as systemd.exec(5) advises.
 */
final class Journal {
    private Journal() {}

    /** Whether this process's stderr is the journal's stream. */
    static boolean isStderr() {
        String stream = System.getenv("JOURNAL_STREAM");
        return connected(stream, stream == null ? Optional.empty() : stderrDeviceAndInode());
    }

    /**
     * @param journalStream JOURNAL_STREAM, {@code device:inode}, or null
     * @param stderr        stderr's {@code device:inode}, empty if it cannot be known (then the
     *                      variable is believed)
     */
    static boolean connected(String journalStream, Optional<String> stderr) {
        if (journalStream == null || journalStream.isBlank()) {
            return false;
        }
        return stderr.map(journalStream.strip()::equals).orElse(true);
    }

    /** fstat(2) of stderr: /proc/self/fd/2 leads to the open file itself, a socket included. */
    private static Optional<String> stderrDeviceAndInode() {
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            return Optional.of(Files.getAttribute(fd2, "unix:dev") + ":" + Files.getAttribute(fd2, "unix:ino"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no /proc, or no unix view: the variable is all there is
        }
    }
}
