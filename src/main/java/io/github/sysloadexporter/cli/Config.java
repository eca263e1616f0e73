package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.web.ServerLimits;
import io.github.sysloadexporter.web.WebSecurity;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The validated command line.
 *
 * @param nics  explicit -i names, or empty to detect
 * @param disks explicit -b names, or empty to detect
 * @param web   what --web.config.file says, already read and checked (it reloads itself)
 * @param limits what one client may cost the HTTP server
 */
record Config(
        InetSocketAddress listen,
        String telemetryPath,
        Path procfs,
        Path sysfs,
        int refreshSeconds,
        List<String> nics,
        List<String> disks,
        double interruptThreshold,
        double saturationThreshold,
        WebSecurity web,
        ServerLimits limits) {
    Config {
        nics = List.copyOf(nics);
        disks = List.copyOf(disks);
    }

    long intervalNanos() {
        return refreshSeconds * 1_000_000_000L;
    }
}
