package io.github.sysloadexporter.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Which exporter and runtime are running, for sysload_build_info and --version. */
public record BuildInfo(String version, String javaVersion) {

    /** Reads the version Maven filtered into the jar's resources. */
    public static BuildInfo current() {
        String version = "unknown";
        try (InputStream in = BuildInfo.class.getResourceAsStream("/sysload-exporter.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        } catch (IOException e) {
            // A jar without its properties still runs; the version just says unknown.
        }
        return new BuildInfo(version, System.getProperty("java.version", "unknown"));
    }
}
