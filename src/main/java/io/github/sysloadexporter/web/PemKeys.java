package io.github.sysloadexporter.web;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone. Private keys come as PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY});
 * the last two are wrapped into PKCS#8 with {@link Der}, the one form KeyFactory takes.
 */
final class PemKeys {
    // RFC 7468: -----BEGIN LABEL----- base64 -----END LABEL-----, the same label at both ends.
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ENCRYPTION = oid(1, 2, 840, 113549, 1, 1, 1);
    private static final byte[] EC_PUBLIC_KEY = oid(1, 2, 840, 10045, 2, 1);
    private static final byte[] ED25519 = oid(1, 3, 101, 112);
    private static final byte[] ED448 = oid(1, 3, 101, 113);
    private static final byte[] RSASSA_PSS = oid(1, 2, 840, 113549, 1, 1, 10);

    record Block(String label, byte[] der) {}

    private PemKeys() {}

    static List<Block> blocks(String pem) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains(":")) {
                // RFC 1421 headers such as "Proc-Type: 4,ENCRYPTED": only legacy encrypted keys have them.
                throw new IllegalArgumentException(m.group(1) + " is encrypted; give an unencrypted key");
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(m.group(1) + " block is not valid base64");
            }
        }
        return out;
    }

    /** Every certificate in the file, leaf first as TLS wants it. */
    static List<X509Certificate> certificates(String pem) throws CertificateException {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (Block b : blocks(pem)) {
            if (b.label().equals("CERTIFICATE")) {
                try {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (RuntimeException e) {
                    // the JDK's parsers throw these on some malformed keys (an empty Ed25519 key)
                    throw new CertificateException("malformed certificate: " + e, e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new CertificateException("no CERTIFICATE block");
        }
        return certs;
    }

    /** The first private key in the file, in any of the three forms. */
    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        for (Block b : blocks(pem)) {
            switch (b.label()) {
                case "PRIVATE KEY":
                    return fromPkcs8(b.der());
                case "RSA PRIVATE KEY":
                    return fromPkcs8(rsaPkcs1ToPkcs8(b.der()));
                case "EC PRIVATE KEY":
                    return fromPkcs8(sec1ToPkcs8(b.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("the private key is encrypted; give an unencrypted key");
                default:
                // EC PARAMETERS (openssl ecparam writes it first), certificates: not the key.
            }
        }
        throw new GeneralSecurityException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
    }

    static PrivateKey fromPkcs8(byte[] der) throws GeneralSecurityException {
        // The key factory of the algorithm the key names, and no other: one that refuses a key
        // goes on to every other provider of its algorithm, loading all the JDK's providers
        // (PKCS#11, XML signatures, SASL...) for good.
        String alg = algorithm(der);
        if (alg != null) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // malformed: said below
            }
        }
        throw new GeneralSecurityException("private key of an unsupported algorithm or malformed");
    }

    /** The key algorithm named by a PKCS#8 PrivateKeyInfo, if one of those TLS can use; else null. */
    static String algorithm(byte[] pkcs8) {
        try {
            // PrivateKeyInfo { version, AlgorithmIdentifier { algorithm OID, parameters }, ... }
            List<Der.Tlv> info = Der.readSequence(pkcs8);
            if (info.size() < 3 || info.get(1).tag() != Der.SEQUENCE) {
                return null;
            }
            List<Der.Tlv> id = Der.read(info.get(1).content());
            if (id.isEmpty() || id.get(0).tag() != Der.OID) {
                return null;
            }
            byte[] oid = Der.encode(Der.OID, id.get(0).content());
            if (Arrays.equals(oid, RSA_ENCRYPTION)) {
                return "RSA";
            } else if (Arrays.equals(oid, EC_PUBLIC_KEY)) {
                return "EC";
            } else if (Arrays.equals(oid, ED25519)) {
                return "Ed25519";
            } else if (Arrays.equals(oid, ED448)) {
                return "Ed448";
            } else if (Arrays.equals(oid, RSASSA_PSS)) {
                return "RSASSA-PSS";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return null; // not DER
        }
    }

    /** PKCS#8 PrivateKeyInfo { version 0, { rsaEncryption, NULL }, OCTET STRING { RSAPrivateKey } }. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        return Der.sequence(
                Der.smallInteger(0),
                Der.sequence(RSA_ENCRYPTION, Der.encode(Der.NULL, new byte[0])),
                Der.encode(Der.OCTET_STRING, pkcs1));
    }

    /**
     * PKCS#8 PrivateKeyInfo { version 0, { id-ecPublicKey, curve }, OCTET STRING { ECPrivateKey } }.
     * The curve comes from SEC1's optional [0] parameters (RFC 5915), which openssl always writes;
     * without it the key cannot be used, and explicit curve parameters are refused as TLS does.
     */
    static byte[] sec1ToPkcs8(byte[] sec1) {
        List<Der.Tlv> fields;
        try {
            fields = Der.readSequence(sec1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("EC PRIVATE KEY is not valid DER: " + e.getMessage());
        }
        if (fields.size() < 2
                || fields.get(0).tag() != Der.INTEGER
                || fields.get(1).tag() != Der.OCTET_STRING) {
            throw new IllegalArgumentException("EC PRIVATE KEY is not an RFC 5915 ECPrivateKey");
        }
        byte[] curve = null;
        for (Der.Tlv f : fields) {
            if (f.tag() == Der.CONTEXT_0) {
                List<Der.Tlv> inner = Der.read(f.content());
                if (inner.size() != 1 || inner.get(0).tag() != Der.OID) {
                    throw new IllegalArgumentException(
                            "EC PRIVATE KEY with explicit curve parameters; use a named curve");
                }
                curve = Der.encode(Der.OID, inner.get(0).content());
            }
        }
        if (curve == null) {
            throw new IllegalArgumentException("EC PRIVATE KEY does not name its curve");
        }
        return Der.sequence(
                Der.smallInteger(0), Der.sequence(EC_PUBLIC_KEY, curve), Der.encode(Der.OCTET_STRING, sec1));
    }

    /**
     * Whether {@code key} belongs to {@code cert}: signs a probe and verifies it with the
     * certificate's public key, which works the same for every key type.
     */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        PublicKey pub = cert.getPublicKey();
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "sysload-exporter key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** An OBJECT IDENTIFIER element from its arcs (X.690 8.19). */
    static byte[] oid(long... arcs) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write((int) (arcs[0] * 40 + arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long v = arcs[i];
            // base 128, most significant group first, high bit set on all but the last
            int groups = 1;
            for (long t = v >>> 7; t != 0; t >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int b = (int) ((v >>> (7 * g)) & 0x7F);
                body.write(g == 0 ? b : b | 0x80);
            }
        }
        return Der.encode(Der.OID, body.toByteArray());
    }
}
