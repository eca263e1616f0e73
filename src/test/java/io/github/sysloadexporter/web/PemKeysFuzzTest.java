package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the PEM/DER reader of certificates and private keys. What may come out of it is what its
 * one caller, TlsMaterial, turns into a configuration error: the declared GeneralSecurityException
 * (CertificateException for certificates) and the IllegalArgumentException with which PemKeys and
 * Der refuse malformed PEM and DER. Anything else is a bug, and {@link PemKeys#matches} must not
 * throw at all. {@code mvn verify} runs it over the seeds in
 * src/test/resources/io/github/sysloadexporter/web/PemKeysFuzzTestInputs/read: certificates and
 * keys (RSA 1024 in PKCS#8 and PKCS#1, P-256 in PKCS#8 and SEC1 with EC PARAMETERS, Ed25519,
 * encrypted ones) made for this with openssl genpkey, req, pkcs8 and rsa -aes128; throwaway
 * keys that protect nothing. src/test/fuzz/fuzz.sh fuzzes it.
 *
 * <p>An input is a PEM text (ISO-8859-1, as TlsMaterial reads the files), or, if its first byte
 * is 0, two DER blocks the fuzzer can mutate directly, wrapped here into PEM:
 * {@code 0, label A, label B, length of A (2 bytes, big-endian), A, B}, the labels indexes into
 * {@link #LABELS}, B left out when empty.
 */
class PemKeysFuzzTest {
    /** Longest input read: a 4096-bit RSA key and its certificate fit. */
    static final int MAX_LEN = 8192;

    static final String[] LABELS = {
        "CERTIFICATE",
        "PRIVATE KEY",
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "EC PARAMETERS",
        "PUBLIC KEY"
    };

    // tokens for the fuzzer's mutations (fuzzing only; no blanks but spaces: Jazzer 0.24 writes
    // them unescaped into the libFuzzer dictionary, which then fails to parse)
    @DictionaryEntries({
        "-----BEGIN ",
        "-----END ",
        "CERTIFICATE-----",
        "PRIVATE KEY-----",
        "RSA PRIVATE KEY-----",
        "EC PRIVATE KEY-----",
        "ENCRYPTED PRIVATE KEY-----",
        "EC PARAMETERS-----",
        "Proc-Type: 4,ENCRYPTED"
    })
    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void read(byte[] input) throws CertificateEncodingException {
        byte[] in = input.length > MAX_LEN ? Arrays.copyOf(input, MAX_LEN) : input;
        String pem = in.length > 0 && in[0] == 0 ? pemOf(in) : new String(in, StandardCharsets.ISO_8859_1);

        try {
            long der = 0;
            for (PemKeys.Block b : PemKeys.blocks(pem)) {
                assertNotNull(b.label());
                der += b.der().length;
            }
            long total = der;
            assertTrue(total <= pem.length(), () -> total + " bytes of DER from " + pem.length() + " chars of PEM");
        } catch (IllegalArgumentException e) {
            // malformed base64 or an encrypted legacy key: refused as TlsMaterial expects
        }

        List<X509Certificate> certs = null;
        try {
            certs = PemKeys.certificates(pem);
            assertFalse(certs.isEmpty(), "no certificate, yet no error");
            long encoded = 0;
            for (X509Certificate c : certs) {
                assertNotNull(c);
                encoded += c.getEncoded().length;
            }
            long total = encoded;
            assertTrue(total <= pem.length(), () -> total + " bytes of certificates from " + pem.length() + " chars");
        } catch (CertificateException | IllegalArgumentException e) {
            // declared, or refused as TlsMaterial expects
        }

        PrivateKey key = null;
        try {
            key = PemKeys.privateKey(pem);
            assertNotNull(key, "no key, yet no error");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // declared, or refused as TlsMaterial expects
        }

        if (key != null && certs != null) {
            // must answer, not throw, whatever the pair
            PemKeys.matches(key, certs.get(0));
        }
    }

    /** The PEM text of a structured input (first byte 0). */
    static String pemOf(byte[] in) {
        if (in.length < 5) {
            return "";
        }
        String a = LABELS[(in[1] & 0xff) % LABELS.length];
        String b = LABELS[(in[2] & 0xff) % LABELS.length];
        int lenA = Math.min(((in[3] & 0xff) << 8) | (in[4] & 0xff), in.length - 5);
        byte[] derA = Arrays.copyOfRange(in, 5, 5 + lenA);
        byte[] derB = Arrays.copyOfRange(in, 5 + lenA, in.length);
        StringBuilder sb = new StringBuilder();
        block(sb, a, derA);
        if (derB.length > 0) {
            block(sb, b, derB);
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, String label, byte[] der) {
        sb.append("-----BEGIN ")
                .append(label)
                .append("-----\n")
                .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                .append("\n-----END ")
                .append(label)
                .append("-----\n");
    }
}
