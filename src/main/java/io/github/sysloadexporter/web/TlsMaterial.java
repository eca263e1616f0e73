package io.github.sysloadexporter.web;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The key material of one reading of tls_server_config: the server's key and certificate chain,
 * and the trust manager that checks client certificates.
 */
record TlsMaterial(PrivateKey key, X509Certificate[] chain, X509ExtendedTrustManager trustManager) {
    /** Alias of the one key; fixed so that a key manager swapped mid-handshake still knows it. */
    static final String ALIAS = "sysload";

    /** Loads the files; the message of a failure names the file and the key of the config. */
    static TlsMaterial load(TlsSettings t, String configFile) throws WebConfigException {
        List<X509Certificate> chain;
        try {
            chain = PemKeys.certificates(read(t.certFile()));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw fileError(configFile, "cert_file", t.certFile(), e);
        }
        PrivateKey key;
        try {
            key = PemKeys.privateKey(read(t.keyFile()));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw fileError(configFile, "key_file", t.keyFile(), e);
        }
        if (!PemKeys.matches(key, chain.get(0))) {
            throw new WebConfigException("web config " + configFile + ": key tls_server_config.key_file: " + t.keyFile()
                    + " is not the key of the first certificate in " + t.certFile());
        }
        // The key and chain are handed to the handshake as they are (Reloading.KeyManager), not
        // through a KeyStore and the JDK's key manager factory: those load the PKCS#12 key store,
        // its attributes and Unicode normalisation, some hundred classes a scrape never uses.
        X509ExtendedTrustManager tm = t.clientAuth().verified ? caTrust(t, configFile) : ANY_CLIENT;
        return new TlsMaterial(key, chain.toArray(new X509Certificate[0]), tm);
    }

    /**
     * Whether the key suits a handshake that asks for {@code keyType}: the JDK's key manager
     * names the key algorithm ("EC", "RSA", "RSASSA-PSS", "EdDSA"), or for TLS 1.2's static
     * key exchanges that and the algorithm of the key that signed the certificate ("EC_RSA").
     * The certificate authorities a client may name are not checked: the server has one key,
     * and offering it is better than failing the handshake, as Go's server does.
     */
    boolean suits(String keyType) {
        if (keyType == null) {
            return false;
        }
        int cut = keyType.indexOf('_');
        if (!chain[0].getPublicKey().getAlgorithm().equals(cut < 0 ? keyType : keyType.substring(0, cut))) {
            return false;
        }
        if (cut < 0) {
            return true;
        }
        // As the JDK's SunX509 key manager tells it: by the issuer's key if the chain has it,
        // else by the name of the certificate's signature algorithm.
        String signedBy = keyType.substring(cut + 1);
        return chain.length > 1
                ? signedBy.equals(chain[1].getPublicKey().getAlgorithm())
                : chain[0].getSigAlgName()
                        .toUpperCase(Locale.ROOT)
                        .contains("WITH" + signedBy.toUpperCase(Locale.ROOT));
    }

    private static X509ExtendedTrustManager caTrust(TlsSettings t, String configFile) throws WebConfigException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : PemKeys.certificates(read(t.clientCaFile()))) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager m : tmf.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new GeneralSecurityException("no X.509 trust manager");
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw fileError(configFile, "client_ca_file", t.clientCaFile(), e);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }

    private static WebConfigException fileError(String configFile, String key, Path file, Exception e) {
        String why = e instanceof java.nio.file.NoSuchFileException
                ? "no such file"
                : e.getMessage() != null ? e.getMessage().replaceAll("\\s+", " ") : e.toString();
        return new WebConfigException(
                "web config " + configFile + ": key tls_server_config." + key + ": " + file + ": " + why, e);
    }

    /**
     * RequestClientCert and RequireAnyClientCert: a certificate is asked for (and, for the
     * latter, required by the handshake settings) but not checked, as Go does for these types.
     */
    static final X509ExtendedTrustManager ANY_CLIENT = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("this is a server: it trusts no server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
