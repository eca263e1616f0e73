package io.github.sysloadexporter.web;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key and trust managers that ask for the current {@link TlsMaterial} at every handshake.
 * The server takes its SSLContext once, when it starts, so a rotated certificate reaches new
 * connections only through managers like these.
 */
final class Reloading {
    private Reloading() {}

    /** The one key and chain of the current material, for a handshake that can use it. */
    static final class KeyManager extends X509ExtendedKeyManager {
        private final Supplier<TlsMaterial> current;

        KeyManager(Supplier<TlsMaterial> current) {
            this.current = current;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current.get().suits(keyType) ? TlsMaterial.ALIAS : null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current.get().suits(keyType) ? TlsMaterial.ALIAS : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.get().suits(keyType) ? new String[] {TlsMaterial.ALIAS} : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return TlsMaterial.ALIAS.equals(alias) ? current.get().chain().clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return TlsMaterial.ALIAS.equals(alias) ? current.get().key() : null;
        }

        // A server never presents a client certificate.
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    static final class TrustManager extends X509ExtendedTrustManager {
        private final Supplier<TlsMaterial> current;

        TrustManager(Supplier<TlsMaterial> current) {
            this.current = current;
        }

        private X509ExtendedTrustManager tm() {
            return current.get().trustManager();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            tm().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            tm().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            tm().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            tm().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            tm().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            tm().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return tm().getAcceptedIssuers();
        }
    }
}
