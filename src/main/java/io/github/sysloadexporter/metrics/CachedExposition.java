package io.github.sysloadexporter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.sysloadexporter.web.Responses;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Serves the exposition of the current sample, rendered by simpleclient once per sample and
 * format rather than once per scrape: every scrape between two samples gets the same bytes.
 * Both formats are cached, the text format and OpenMetrics, which Prometheus asks for first.
 * Not compressed: the page is about 5 KB, and a fresh gzip stream per scrape (simpleclient's
 * way) cost more CPU than the whole sample. {@code name[]} requests, which are rare, go to
 * simpleclient's own handler.
 */
final class CachedExposition implements HttpHandler {
    private final CollectorRegistry registry;
    private final Supplier<?> sampleVersion;
    private final HttpHandler fallback;
    private volatile Rendered text;
    private volatile Rendered openMetrics;

    /** The bytes of one sample, and which sample they are of (compared by identity). */
    private record Rendered(Object version, byte[] bytes) {}

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
        if (exchange.getRequestURI().getRawQuery() != null) {
            fallback.handle(exchange);
            return;
        }
        // The same negotiation as simpleclient's handler, which serves the name[] requests.
        String contentType =
                TextFormat.chooseContentType(exchange.getRequestHeaders().getFirst("Accept"));
        boolean om = contentType.equals(TextFormat.CONTENT_TYPE_OPENMETRICS_100);
        Object version = sampleVersion.get();
        Rendered r = om ? openMetrics : text;
        if (r == null || r.version() != version) {
            // Two scrapes racing here both render the same sample; either result is right.
            r = new Rendered(version, render(om, r));
            if (om) {
                openMetrics = r;
            } else {
                text = r;
            }
        }
        Responses.send(exchange, 200, contentType, r.bytes());
    }

    private byte[] render(boolean openMetrics, Rendered last) throws IOException {
        // Sized by the last rendering: one array to fill and one exact copy per sample.
        Utf8Buffer out = new Utf8Buffer(last == null ? 8192 : last.bytes().length + 512);
        if (openMetrics) {
            TextFormat.writeOpenMetrics100(out, registry.metricFamilySamples());
        } else {
            TextFormat.write004(out, registry.metricFamilySamples());
        }
        return out.toByteArray();
    }
}
