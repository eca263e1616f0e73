package io.github.sysloadexporter.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** Servers on loopback for the server's tests, and the raw requests they send it on sockets of their own. */
final class WebServers {
    static final Page HELLO = request -> Page.Reply.text(200, "hello\n");

    private WebServers() {}

    /** Plain HTTP on a port the kernel picks. */
    static WebServer start(ServerLimits limits, Map<String, Page> pages) throws IOException {
        return start(limits, WebSecurity.none(), pages);
    }

    static WebServer start(ServerLimits limits, WebSecurity security, Map<String, Page> pages) throws IOException {
        return WebServer.start(new InetSocketAddress("127.0.0.1", 0), limits, security, pages);
    }

    static WebSecurity withPassword(Path dir, String password) throws Exception {
        Path config = dir.resolve("web.yml");
        // Cost 10, as operators' hashes: each check of a password not cached takes tens of ms.
        Files.writeString(config, "basic_auth_users:\n  prometheus: '" + Certs.bcrypt(password, 10) + "'\n");
        return WebSecurity.load(config, System::nanoTime);
    }

    static byte[] get(String path, String user, String password) {
        String credentials =
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + credentials + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The status line of the response coming on {@code in}. */
    static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.append((char) c);
        }
        return b.toString().trim();
    }
}
