package io.github.sysloadexporter.metrics;

import io.github.sysloadexporter.web.Page;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * which are rare, are rendered for themselves, uncompressed.
 */
public final class CachedExposition implements Page {
    private final CollectorRegistry registry;
    private final Supplier<?> sampleVersion;
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
    public CachedExposition(CollectorRegistry registry, Supplier<?> sampleVersion) {
        this.registry = registry;
        this.sampleVersion = sampleVersion;
    }

    @Override
    public Reply get(PageRequest request) throws IOException {
        // The same negotiation as simpleclient's own handler.
        String contentType = TextFormat.chooseContentType(request.header("Accept"));
        boolean om = contentType.equals(TextFormat.CONTENT_TYPE_OPENMETRICS_100);
        if (request.query() != null) {
            Set<String> names = names(request.query());
            Utf8Buffer out = new Utf8Buffer(1024);
            if (om) {
                TextFormat.writeOpenMetrics100(out, registry.filteredMetricFamilySamples(names));
            } else {
                TextFormat.write004(out, registry.filteredMetricFamilySamples(names));
            }
            return new Reply(200, contentType, Map.of(), out.toByteArray());
        }
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
        if (acceptsGzip(request.headers().apply("Accept-Encoding"))) {
            return new Reply(200, contentType, GZIP, r.gzip());
        }
        return new Reply(200, contentType, PLAIN, r.bytes);
    }

    private static final Map<String, String> GZIP = Map.of("Vary", "Accept-Encoding", "Content-Encoding", "gzip");
    private static final Map<String, String> PLAIN = Map.of("Vary", "Accept-Encoding");

    /**
     * The metric names of {@code name[]=...} parameters, as simpleclient's handler reads them
     * (other parameters are ignored; none named: every metric, as there).
     */
    static Set<String> names(String query) {
        Set<String> names = new HashSet<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && decode(pair.substring(0, eq)).equals("name[]")) {
                names.add(decode(pair.substring(eq + 1)));
            }
        }
        return names;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape names nothing that exists
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
     * gzip at the fastest level: Prometheus may scrape every second, and the default level
     * costs more time than the bytes it saves are worth (README, Resource use).
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
