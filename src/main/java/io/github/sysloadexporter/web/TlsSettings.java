package io.github.sysloadexporter.web;

import java.nio.file.Path;
import java.util.List;

/**
 * tls_server_config, with paths already resolved against the config file's directory.
 *
 * @param clientCaFile    null when not given
 * @param minVersion      JSSE protocol name, e.g. TLSv1.2
 * @param maxVersion      JSSE protocol name, or null for the newest the JDK has
 * @param cipherSuites    empty for the JDK's defaults; only limits TLS 1.2, as in Go
 */
record TlsSettings(
        Path certFile,
        Path keyFile,
        ClientAuth clientAuth,
        Path clientCaFile,
        String minVersion,
        String maxVersion,
        List<String> cipherSuites,
        boolean preferServerCipherSuites) {
    TlsSettings {
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** The files whose change means new key material. */
    List<Path> files() {
        return clientCaFile == null ? List.of(certFile, keyFile) : List.of(certFile, keyFile, clientCaFile);
    }
}
