package io.github.sysloadexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for servers that a test cannot start on port 0 (another process, or one told its address). */
public final class Ports {
    private Ports() {}

    /**
     * A loopback TCP port that nothing listens on now. Another process could take it before
     * the caller binds it; the kernel hands out ephemeral ports in turn, so that is rare.
     */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
