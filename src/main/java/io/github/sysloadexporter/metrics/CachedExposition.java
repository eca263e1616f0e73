package io.github.sysloadexporter.metrics;

import io.github.sysloadexporter.web.Page;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

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

        byte[] gzip(CachedExposition page) {
            byte[] g = gzip;
            if (g == null) {
                // Two scrapes racing here both compress the same bytes; either result is right.
                g = page.gzip(bytes);
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
            return new Reply(200, contentType, GZIP, r.gzip(this));
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

    /**
     * The gzip member of {@code bytes}, at the fastest level: Prometheus may scrape every second,
     * and the default level costs more time than the bytes it saves are worth (README, Resource
     * use). One Deflater is kept and reset rather than made and ended per sample: setting one up
     * allocates some 256 KB of zlib state, which cost more than compressing the page. A
     * compression that finds it in use (two formats' first scrapes at once) takes one of its own.
     */
    byte[] gzip(byte[] bytes) {
        if (keptInUse.compareAndSet(false, true)) {
            try {
                if (kept == null) {
                    kept = new FastGzip();
                }
                return kept.compress(bytes);
            } finally {
                keptInUse.set(false);
            }
        }
        FastGzip own = new FastGzip();
        try {
            return own.compress(bytes);
        } finally {
            own.end();
        }
    }

    // Made at the first compression: a process never asked for gzip holds no zlib state.
    private final AtomicBoolean keptInUse = new AtomicBoolean();
    private FastGzip kept; // only while holding keptInUse

    /** Runs {@code compression} while the kept Deflater is held: for the test of the other way. */
    byte[] gzipWhileBusy(Supplier<byte[]> compression) {
        if (!keptInUse.compareAndSet(false, true)) {
            throw new IllegalStateException("the kept Deflater is in use");
        }
        try {
            return compression.get();
        } finally {
            keptInUse.set(false);
        }
    }

    /** gzip framing (RFC 1952) around a raw deflate stream, as GZIPOutputStream writes it. */
    private static final class FastGzip {
        private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        private final CRC32 crc = new CRC32();

        byte[] compress(byte[] bytes) {
            deflater.reset();
            deflater.setInput(bytes);
            deflater.finish();
            // The text compresses about threefold; half of it is room enough.
            byte[] out = Arrays.copyOf(HEADER, bytes.length / 2 + 64);
            int n = HEADER.length;
            while (!deflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                n += deflater.deflate(out, n, out.length - n);
            }
            crc.reset();
            crc.update(bytes);
            out = Arrays.copyOf(out, n + 8);
            littleEndian(out, n, (int) crc.getValue());
            littleEndian(out, n + 4, bytes.length); // ISIZE: the length modulo 2^32
            return out;
        }

        /** Frees the native state now rather than when the Deflater is collected. */
        void end() {
            deflater.end();
        }

        private static void littleEndian(byte[] b, int at, int v) {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >>> 8);
            b[at + 2] = (byte) (v >>> 16);
            b[at + 3] = (byte) (v >>> 24);
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
