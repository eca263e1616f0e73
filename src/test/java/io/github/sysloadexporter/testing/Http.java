package io.github.sysloadexporter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * The tests' HTTP client: requests on loopback, each with a deadline, so that a server that
 * hangs fails the test instead of hanging the build.
 */
public final class Http {
    /** What a GET returned. */
    public record Response(int status, HttpHeaders headers, String body) {}

    /** What a request returned, its body as it came (a gzip body still compressed). */
    public record Raw(int status, HttpHeaders headers, byte[] body) {
        /** The body, gunzipped as its Content-Encoding says, as text. */
        public String text() throws IOException {
            if (headers.firstValue("Content-Encoding").filter("gzip"::equals).isEmpty()) {
                return new String(body, StandardCharsets.UTF_8);
            }
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private final Duration requestTimeout;

    /** Requests that must be answered within 10 s. */
    public Http() {
        this(Duration.ofSeconds(10));
    }

    /** Requests that must be answered within {@code requestTimeout}. */
    public Http(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public static URI local(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** GET with request headers given as name, value, name, value, ... */
    public Response get(URI uri, String... headers) throws IOException {
        Raw r = send("GET", uri, headers);
        return new Response(r.status(), r.headers(), new String(r.body(), StandardCharsets.UTF_8));
    }

    /**
     * Any method, without a request body, with request headers as for {@link #get}, over a
     * connection of its own that the server closes after the response ("Connection: close"): a
     * server stopped after the test then has no kept-alive connection of the test's to wait for
     * (Jetty's graceful stop waits up to its stop timeout for one). Tests of kept-alive
     * connections use sockets of their own.
     */
    public Raw send(String method, URI uri, String... headers) throws IOException {
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ")
                .append(uri.getRawAuthority())
                .append("\r\nConnection: close\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("\r\n");
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            s.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            for (int n = 0; n >= 0; ) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new HttpTimeoutException(method + " " + uri + ": no whole response within " + requestTimeout);
                }
                s.setSoTimeout((int) Math.max(1, left / 1_000_000));
                n = in.read(buf);
                if (n > 0) {
                    got.write(buf, 0, n);
                }
            }
        }
        return parse(method, uri, got.toByteArray());
    }

    /** {@link #send} to a path on a loopback port. */
    public Raw send(String method, int port, String path, String... headers) throws IOException {
        return send(method, local(port, path), headers);
    }

    /** GET of a path on a loopback port. */
    public Response get(int port, String path, String... headers) throws IOException {
        return get(local(port, path), headers);
    }

    /** The body of {@code /metrics} on a loopback port, which must answer 200. */
    public String metrics(int port) throws IOException {
        Response r = get(port, "/metrics");
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    /**
     * GETs {@code uri} every 100 ms until a response satisfies {@code done} or {@code timeout}
     * has passed, a refused or failed connection counting as "not yet" (a server still
     * starting); returns the last response, or null if none ever came.
     */
    public Response await(URI uri, Predicate<Response> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        while (true) {
            try {
                last = get(uri);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - deadline >= 0) {
                return last;
            }
            Thread.sleep(100);
        }
    }

    /**
     * Scrapes the exporter on {@code port} until it serves its first sample, which needs two
     * readings one interval apart, for up to 10 s; returns the last body (empty if none).
     */
    public String awaitFirstSample(int port) throws InterruptedException {
        Response r =
                await(local(port, "/metrics"), x -> x.body().contains("\nsysload_sysload "), Duration.ofSeconds(10));
        return r == null ? "" : r.body();
    }

    /** A whole response as it came, up to the server's close; a framing error is an IOException. */
    private static Raw parse(String method, URI uri, byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IOException(method + " " + uri + ": not an HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            fields.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        HttpHeaders headers = HttpHeaders.of(fields, (name, value) -> true);
        byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if (headers.firstValue("Transfer-Encoding")
                .filter("chunked"::equalsIgnoreCase)
                .isPresent()) {
            body = unchunk(body);
        } else if (method.equals("HEAD") && body.length > 0) {
            throw new IOException("HEAD " + uri + ": a body of " + body.length + " bytes");
        } else if (!method.equals("HEAD")) {
            OptionalLong length = headers.firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() != body.length) {
                throw new IOException(method + " " + uri + ": Content-Length " + length.getAsLong() + ", but "
                        + body.length + " bytes came");
            }
        }
        return new Raw(status, headers, body);
    }

    /** A chunked body's data (no trailers are expected). */
    private static byte[] unchunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int eol = indexOfCrlf(chunked, pos);
            String size = new String(chunked, pos, eol - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(chunked, eol + 2, n);
            pos = eol + 2 + n + 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) throws IOException {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IOException("a chunked body cut short");
    }
}
