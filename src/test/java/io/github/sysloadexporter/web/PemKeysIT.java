package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates as openssl writes them, in each form an operator may have. */
class PemKeysIT {
    @TempDir
    Path dir;

    /** PKCS#1 wrapped by us is byte for byte what openssl writes as PKCS#8 for the same key. */
    @Test
    void rsaPkcs1WrapsToOpensslsPkcs8() throws Exception {
        Certs c = new Certs(dir).make(false);
        Path trad = c.traditionalServerKey();
        assertTrue(Files.readString(trad).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        byte[] pkcs1 = PemKeys.blocks(Files.readString(trad)).get(0).der();
        byte[] pkcs8 = PemKeys.blocks(Files.readString(dir.resolve("server.key")))
                .get(0)
                .der();
        assertArrayEquals(pkcs8, PemKeys.rsaPkcs1ToPkcs8(pkcs1));
        keyFormsLoadAndMatch(c, trad);
    }

    @Test
    void ecSec1LoadsAsTheSameKeyAsPkcs8() throws Exception {
        Certs c = new Certs(dir).make(true);
        Path trad = c.traditionalServerKey();
        assertTrue(Files.readString(trad).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        keyFormsLoadAndMatch(c, trad);
    }

    private void keyFormsLoadAndMatch(Certs c, Path trad) throws Exception {
        X509Certificate cert = PemKeys.certificates(Files.readString(dir.resolve("server.pem")))
                .get(0);
        PrivateKey p8 = PemKeys.privateKey(Files.readString(dir.resolve("server.key")));
        PrivateKey old = PemKeys.privateKey(Files.readString(trad));
        if (p8 instanceof java.security.interfaces.ECPrivateKey e8) {
            // the encodings differ (openssl leaves the curve out of the inner SEC1), the key does not
            java.security.interfaces.ECPrivateKey e = (java.security.interfaces.ECPrivateKey) old;
            assertEquals(e8.getS(), e.getS());
            assertEquals(e8.getParams().toString(), e.getParams().toString());
        } else {
            assertEquals(p8, old);
        }
        assertTrue(PemKeys.matches(p8, cert));
        assertTrue(PemKeys.matches(old, cert));
        PrivateKey other = PemKeys.privateKey(Files.readString(dir.resolve("client.key")));
        assertFalse(PemKeys.matches(other, cert), "the client's key is not the server's");
    }

    @Test
    void chainInOneFileLeafFirst() throws Exception {
        new Certs(dir).make(true);
        String chain = Files.readString(dir.resolve("server.pem")) + Files.readString(dir.resolve("ca.pem"));
        List<X509Certificate> certs = PemKeys.certificates(chain);
        assertEquals(2, certs.size());
        assertEquals("CN=server", certs.get(0).getSubjectX500Principal().getName());
    }
}
