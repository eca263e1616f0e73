package io.github.sysloadexporter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.sysloadexporter.web.Responses;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the exposition of the current sample, rendered by simpleclient once per sample and
 * format rather than once per scrape: every scrape between two samples gets the same bytes.
 * Both formats are cached, the text format and OpenMetrics, which Prometheus asks for first.
 * Prometheus also asks for gzip: each format's bytes are compressed at the first such request
 * of the sample and kept beside them, so that a scrape never compresses what another already
 * did (simpleclient's handler opens a fresh gzip stream per scrape). {@code name[]} requests,
 * which are rare, go to simpleclient's own handler.
 */
final class CachedExposition implements HttpHandler {
    private final CollectorRegistry registry;
    private final Supplier<?> sampleVersion;
    private final HttpHandler fallback;
    private volatile Rendered text;
    private volatile Rendered openMetrics;

    /** The bytes of one sample, which sample they are of (compared by identity), and their gzip once asked for. */
    private static final class Rendered {
        final Object version;
        final byte[] bytes;
        private volatile byte[] gzip;

        Rendered(Object version, byte[] bytes) {
            this.version = version;
            this.bytes = bytes;
        }

        byte[] gzip() throws IOException {
            byte[] g = gzip;
            if (g == null) {
                // Two scrapes racing here both compress the same bytes; either result is right.
                g = CachedExposition.gzip(bytes);
                gzip = g;
            }
            return g;
        }
    }

    /**
     * @param sampleVersion returns a new object whenever what the registry collects changes
     *                      (the published sample); the same object means the same output
     */
    CachedExposition(CollectorRegistry registry, Supplier<?> sampleVersion, HttpHandler fallback) {
        this.registry = registry;
        this.sampleVersion = sampleVersion;
        this.fallback = fallback;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        // The same negotiation as simpleclient's handler, which serves the name[] requests.
        String contentType =
                TextFormat.chooseContentType(exchange.getRequestHeaders().getFirst("Accept"));
        if (exchange.getRequestURI().getRawQuery() != null) {
            if (exchange.getRequestMethod().equals("HEAD")) {
                // simpleclient's handler would write a body into a HEAD response and fail
                Responses.send(exchange, 200, contentType, new byte[0]);
            } else {
                fallback.handle(exchange);
            }
            return;
        }
        boolean om = contentType.equals(TextFormat.CONTENT_TYPE_OPENMETRICS_100);
        Object version = sampleVersion.get();
        Rendered r = om ? openMetrics : text;
        if (r == null || r.version != version) {
            // Two scrapes racing here both render the same sample; either result is right.
            r = new Rendered(version, render(om, r));
            if (om) {
                openMetrics = r;
            } else {
                text = r;
            }
        }
        // The body depends on Accept-Encoding: caches between us and the client must know.
        exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
        if (acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"))) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            Responses.send(exchange, 200, contentType, r.gzip());
        } else {
            Responses.send(exchange, 200, contentType, r.bytes);
        }
    }

    private byte[] render(boolean openMetrics, Rendered last) throws IOException {
        // Sized by the last rendering: one array to fill and one exact copy per sample.
        Utf8Buffer out = new Utf8Buffer(last == null ? 8192 : last.bytes.length + 512);
        if (openMetrics) {
            TextFormat.writeOpenMetrics100(out, registry.metricFamilySamples());
        } else {
            TextFormat.write004(out, registry.metricFamilySamples());
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        // The text compresses about threefold; half of it is room enough.
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        // Closing ends the stream's Deflater, which frees its native memory now rather than at a GC.
        try (FastGzip gz = new FastGzip(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /**
     * gzip at the fastest level: for a 5 KB exposition 16 us and 1.6 KB, against 35 us and
     * 1.5 KB at the default level (measured on the CI machine kind), and Prometheus may scrape
     * every second.
     */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /**
     * Whether an Accept-Encoding header (all of its values) allows gzip: named with a q above 0,
     * or not named and {@code *} allowed. Prometheus sends {@code gzip}; browsers
     * {@code gzip, deflate, br}.
     */
    static boolean acceptsGzip(List<String> acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        double gzip = -1;
        double any = -1;
        for (String value : acceptEncoding) {
            for (String item : value.split(",")) {
                int semicolon = item.indexOf(';');
                String coding = (semicolon < 0 ? item : item.substring(0, semicolon))
                        .trim()
                        .toLowerCase(Locale.ROOT);
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    gzip = Math.max(gzip, quality(item, semicolon));
                } else if (coding.equals("*")) {
                    any = Math.max(any, quality(item, semicolon));
                }
            }
        }
        return gzip >= 0 ? gzip > 0 : any > 0;
    }

    /** The q parameter of one Accept-Encoding item: 1 if absent, 0 if unreadable (refuse rather than guess). */
    private static double quality(String item, int semicolon) {
        if (semicolon < 0) {
            return 1;
        }
        for (String param : item.substring(semicolon + 1).split(";")) {
            String p = param.trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    return Double.parseDouble(p.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
