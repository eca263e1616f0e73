package io.github.sysloadexporter.procfs;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** How a failure to read a /proc or /sys file is told: in one line that names the file. */
public final class FileErrors {
    private FileErrors() {}

    /** The failure in one line: a NoSuchFileException's own message is the bare path. */
    public static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
