package io.github.sysloadexporter.web;

/**
 * exporter-toolkit's client_auth_type values, named after Go's tls.ClientAuthType, and what
 * each asks of the TLS handshake.
 */
enum ClientAuth {
    NoClientCert(false, false, false),
    RequestClientCert(true, false, false),
    RequireAnyClientCert(true, true, false),
    VerifyClientCertIfGiven(true, false, true),
    RequireAndVerifyClientCert(true, true, true);

    /** Asks the client for a certificate. */
    final boolean requested;
    /** Fails the handshake without one. */
    final boolean required;
    /** Checks a given certificate against client_ca_file. */
    final boolean verified;

    ClientAuth(boolean requested, boolean required, boolean verified) {
        this.requested = requested;
        this.required = required;
        this.verified = verified;
    }
}
