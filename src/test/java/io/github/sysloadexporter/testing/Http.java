package io.github.sysloadexporter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
    public Response get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers(), r.body());
    }

    /** Any method, without a request body, with request headers as for {@link #get}. */
    public Raw send(String method, URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri).timeout(requestTimeout).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Raw(r.statusCode(), r.headers(), r.body());
    }

    /** {@link #send} to a path on a loopback port. */
    public Raw send(String method, int port, String path, String... headers) throws IOException, InterruptedException {
        return send(method, local(port, path), headers);
    }

    /** GET of a path on a loopback port. */
    public Response get(int port, String path, String... headers) throws IOException, InterruptedException {
        return get(local(port, path), headers);
    }

    /** The body of {@code /metrics} on a loopback port, which must answer 200. */
    public String metrics(int port) throws IOException, InterruptedException {
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
}
