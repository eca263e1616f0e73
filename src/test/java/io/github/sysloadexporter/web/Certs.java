package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.github.sysloadexporter.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real certificates for the tests, made with the openssl command line: a CA, a server
 * certificate for 127.0.0.1/localhost signed by it and a client certificate, as RSA or EC,
 * with the server key in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form.
 */
final class Certs {
    final Path dir;

    Certs(Path dir) {
        this.dir = dir;
    }

    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    private String openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return run(dir, cmd.toArray(new String[0]));
    }

    private void newKey(String name, boolean ec) throws IOException, InterruptedException {
        if (ec) {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name);
        } else {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name);
        }
    }

    /** ca.pem/ca.key, server.pem/server.key (PKCS#8) and client.pem/client.key. */
    Certs make(boolean ec) throws IOException, InterruptedException {
        Tools.require("openssl");
        newKey("ca.key", ec);
        openssl("req", "-x509", "-new", "-key", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test CA");
        leaf("server", ec, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        leaf("client", ec, "extendedKeyUsage=clientAuth\n");
        return this;
    }

    private void leaf(String name, boolean ec, String ext) throws IOException, InterruptedException {
        newKey(name + ".key", ec);
        Files.writeString(dir.resolve(name + ".ext"), ext);
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                name + ".pem",
                "-days",
                "2",
                "-extfile",
                name + ".ext");
    }

    /** The server key rewritten in the traditional form: PKCS#1 for RSA, SEC1 for EC. */
    Path traditionalServerKey() throws IOException, InterruptedException {
        openssl("pkey", "-in", "server.key", "-traditional", "-out", "server-trad.key");
        return dir.resolve("server-trad.key");
    }

    static String bcrypt(String password) {
        // cost 4, the lowest: the tests check the logic, not the cost
        return bcrypt(password, 4);
    }

    /** At cost 10, as htpasswd -nBC 10 makes it: a check takes tens of milliseconds. */
    static String bcrypt(String password, int cost) {
        return BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(cost, password.toCharArray());
    }
}
