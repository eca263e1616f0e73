package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {
    @TempDir
    Path dir;

    @Test
    void derLengthsInShortAndLongForm() {
        assertEquals("0400", HexFormat.of().formatHex(Der.encode(Der.OCTET_STRING, new byte[0])));
        assertEquals("047f", HexFormat.of().formatHex(Der.encode(Der.OCTET_STRING, new byte[127])).substring(0, 4));
        assertEquals("048180", HexFormat.of().formatHex(Der.encode(Der.OCTET_STRING, new byte[128])).substring(0, 6));
        assertEquals("04820100", HexFormat.of().formatHex(Der.encode(Der.OCTET_STRING, new byte[256])).substring(0, 8));
        assertEquals("0483010000",
                HexFormat.of().formatHex(Der.encode(Der.OCTET_STRING, new byte[65536])).substring(0, 10));
        byte[] big = new byte[70000];
        big[69999] = 7;
        List<Der.Tlv> back = Der.read(Der.encode(Der.OCTET_STRING, big));
        assertArrayEquals(big, back.get(0).content());
    }

    @Test
    void derReaderRefusesCutAndOverlongInput() {
        assertThrows(IllegalArgumentException.class, () -> Der.read(new byte[] {0x30, 0x05, 0x02, 0x01}));
        assertThrows(IllegalArgumentException.class, () -> Der.read(new byte[] {0x30}));
        assertThrows(IllegalArgumentException.class, () -> Der.read(new byte[] {0x30, (byte) 0x85, 1, 1, 1, 1, 1}));
    }

    @Test
    void oidEncodingOfKnownIdentifiers() {
        // rsaEncryption and id-ecPublicKey as they appear in every key file
        assertEquals("06092a864886f70d010101", HexFormat.of().formatHex(PemKeys.oid(1, 2, 840, 113549, 1, 1, 1)));
        assertEquals("06072a8648ce3d0201", HexFormat.of().formatHex(PemKeys.oid(1, 2, 840, 10045, 2, 1)));
    }

    /** PKCS#1 wrapped by us is byte for byte what openssl writes as PKCS#8 for the same key. */
    @Test
    void rsaPkcs1WrapsToOpensslsPkcs8() throws Exception {
        Certs c = new Certs(dir).make(false);
        Path trad = c.traditionalServerKey();
        assertTrue(Files.readString(trad).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        byte[] pkcs1 = PemKeys.blocks(Files.readString(trad)).get(0).der();
        byte[] pkcs8 = PemKeys.blocks(Files.readString(dir.resolve("server.key"))).get(0).der();
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
        X509Certificate cert = PemKeys.certificates(Files.readString(dir.resolve("server.pem"))).get(0);
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

    @Test
    void encryptedAndMissingKeysAreRefusedWithAReason() {
        String enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assertTrue(assertThrows(Exception.class, () -> PemKeys.privateKey(enc)).getMessage().contains("encrypted"));
        String legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n";
        assertTrue(assertThrows(Exception.class, () -> PemKeys.privateKey(legacy)).getMessage().contains("encrypted"));
        assertThrows(Exception.class, () -> PemKeys.privateKey("no pem here"));
        String garbage = "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(new byte[] {0x30, 3, 2, 1, 1})
                + "\n-----END EC PRIVATE KEY-----\n";
        assertThrows(Exception.class, () -> PemKeys.privateKey(garbage));
    }
}
