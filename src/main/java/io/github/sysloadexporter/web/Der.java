package io.github.sysloadexporter.web;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough DER (ITU-T X.690) to turn the PKCS#1 and SEC1 private keys that openssl and
 * cfssl write into the PKCS#8 form the JDK's KeyFactory reads, so no crypto library has to be
 * shipped for it. Definite lengths only, as DER requires.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** [0] constructed, context-specific: SEC1's curve parameters. */
    static final int CONTEXT_0 = 0xA0;

    /** One element: its tag and the bytes of its content. */
    record Tlv(int tag, byte[] content) {}

    private Der() {}

    /** Tag, length, content. */
    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n); // short form
        } else {
            // long form: 0x80 | count of length bytes, then the length big-endian
            int bytes = 0;
            for (int v = n; v != 0; v >>>= 8) {
                bytes++;
            }
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** A SEQUENCE of already encoded elements. */
    static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : elements) {
            body.writeBytes(e);
        }
        return encode(SEQUENCE, body.toByteArray());
    }

    /** A small non-negative INTEGER (versions). */
    static byte[] smallInteger(int v) {
        if (v < 0 || v > 127) {
            throw new IllegalArgumentException("small integer out of range: " + v);
        }
        return encode(INTEGER, new byte[] {(byte) v});
    }

    /**
     * Reads the elements that follow one another in {@code der}, which must be consumed
     * exactly: a short or trailing byte is an error, not something to guess about.
     */
    static List<Tlv> read(byte[] der) {
        List<Tlv> out = new ArrayList<>();
        int i = 0;
        while (i < der.length) {
            int tag = der[i++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("multi-byte DER tags are not used in keys");
            }
            if (i >= der.length) {
                throw new IllegalArgumentException("DER element cut off after its tag");
            }
            int first = der[i++] & 0xFF;
            long len;
            if (first < 0x80) {
                len = first;
            } else {
                int bytes = first & 0x7F;
                if (bytes == 0 || bytes > 4) {
                    throw new IllegalArgumentException("DER length of " + bytes + " bytes is not supported");
                }
                if (i + bytes > der.length) {
                    throw new IllegalArgumentException("DER length cut off");
                }
                len = 0;
                for (int k = 0; k < bytes; k++) {
                    len = (len << 8) | (der[i++] & 0xFF);
                }
            }
            if (len > der.length - i) {
                throw new IllegalArgumentException("DER element longer than its input");
            }
            byte[] content = new byte[(int) len];
            System.arraycopy(der, i, content, 0, (int) len);
            i += (int) len;
            out.add(new Tlv(tag, content));
        }
        return out;
    }

    /** The content of the one SEQUENCE that {@code der} is. */
    static List<Tlv> readSequence(byte[] der) {
        List<Tlv> top = read(der);
        if (top.size() != 1 || top.get(0).tag() != SEQUENCE) {
            throw new IllegalArgumentException("not a single DER SEQUENCE");
        }
        return read(top.get(0).content());
    }
}
