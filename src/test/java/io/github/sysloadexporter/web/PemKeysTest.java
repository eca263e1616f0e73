package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DER and PEM reading on bytes given here; PemKeysIT reads keys that openssl makes. */
class PemKeysTest {
    @Test
    void derLengthsInShortAndLongForm() {
        assertEquals("0400", HexFormat.of().formatHex(Der.encode(Der.OCTET_STRING, new byte[0])));
        assertEquals(
                "047f",
                HexFormat.of()
                        .formatHex(Der.encode(Der.OCTET_STRING, new byte[127]))
                        .substring(0, 4));
        assertEquals(
                "048180",
                HexFormat.of()
                        .formatHex(Der.encode(Der.OCTET_STRING, new byte[128]))
                        .substring(0, 6));
        assertEquals(
                "04820100",
                HexFormat.of()
                        .formatHex(Der.encode(Der.OCTET_STRING, new byte[256]))
                        .substring(0, 8));
        assertEquals(
                "0483010000",
                HexFormat.of()
                        .formatHex(Der.encode(Der.OCTET_STRING, new byte[65536]))
                        .substring(0, 10));
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

    @Test
    void encryptedAndMissingKeysAreRefusedWithAReason() {
        String enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assertTrue(assertThrows(Exception.class, () -> PemKeys.privateKey(enc))
                .getMessage()
                .contains("encrypted"));
        String legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n";
        assertTrue(assertThrows(Exception.class, () -> PemKeys.privateKey(legacy))
                .getMessage()
                .contains("encrypted"));
        assertThrows(Exception.class, () -> PemKeys.privateKey("no pem here"));
        String garbage =
                "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(new byte[] {0x30, 3, 2, 1, 1})
                        + "\n-----END EC PRIVATE KEY-----\n";
        assertThrows(Exception.class, () -> PemKeys.privateKey(garbage));
    }
}
