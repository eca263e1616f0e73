package io.github.sysloadexporter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.sysload.Ranges;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.web.Responses;
import io.github.sysloadexporter.web.WebSecurity;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HTTP side: the exposition of the current sample (rendered by simpleclient once per
 * sample, see {@link CachedExposition}) on the telemetry path, a small landing page on
 * {@code /}, 404 for anything else, on a JDK HttpServer whose threads we bound ourselves
 * (simpleclient's own HTTPServer would claim {@code /} for metrics). Both pages answer GET
 * and HEAD, and 405 to any other method.
 */
public final class MetricsServer implements AutoCloseable {
    /** Handler threads at most: so many scrapes are served at once. */
    public static final int THREADS = 4;

    private static final byte[] METHOD_NOT_ALLOWED =
            "405 method not allowed: GET or HEAD\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving. The JVM-wide settings of the JDK HTTP server (no Nagle delay,
     * limits on slow and idle clients) are the caller's: the exporter's are made by
     * cli.JvmSettings at start, before the server's classes load.
     *
     * @throws java.net.BindException when the address is in use or not local
     */
    public static MetricsServer start(InetSocketAddress address, String telemetryPath, CollectorRegistry registry)
            throws IOException {
        return start(address, telemetryPath, registry, WebSecurity.none());
    }

    /**
     * As above, with TLS, basic authentication and headers of {@code --web.config.file}; the
     * exposition is rendered at every scrape and the landing page lists nothing as watched.
     */
    public static MetricsServer start(
            InetSocketAddress address, String telemetryPath, CollectorRegistry registry, WebSecurity web)
            throws IOException {
        return start(address, telemetryPath, registry, Object::new, () -> Published.NOTHING_YET, web);
    }

    /**
     * As above, for the sampler's {@code published}: the exposition is rendered once per
     * published value (while it returns the same object, scrapes get the bytes rendered for
     * it), and the landing page shows what its sample watches.
     */
    public static MetricsServer start(
            InetSocketAddress address,
            String telemetryPath,
            CollectorRegistry registry,
            Supplier<Published> published,
            WebSecurity web)
            throws IOException {
        return start(address, telemetryPath, registry, published, published, web);
    }

    private static MetricsServer start(
            InetSocketAddress address,
            String telemetryPath,
            CollectorRegistry registry,
            Supplier<?> sampleVersion,
            Supplier<Published> published,
            WebSecurity web)
            throws IOException {
        HttpServer server = web.createServer(address, 64);
        ThreadPoolExecutor executor = handlerPool();
        HttpHandler metrics = new CachedExposition(registry, sampleVersion, new HTTPServer.HTTPMetricHandler(registry));
        server.createContext(telemetryPath, web.guard(exchange -> {
            if (!exchange.getRequestURI().getPath().equals(telemetryPath)) {
                notFound(exchange);
            } else if (readOnly(exchange)) {
                metrics.handle(exchange);
            }
        }));
        if (!telemetryPath.equals("/")) {
            BuildInfo build = BuildInfo.current();
            server.createContext("/", web.guard(exchange -> {
                if (!exchange.getRequestURI().getPath().equals("/")) {
                    notFound(exchange);
                } else if (readOnly(exchange)) {
                    // Rendered per request: it is rare, and shows what the current sample watches.
                    Responses.send(
                            exchange,
                            200,
                            "text/html; charset=utf-8",
                            landingPage(telemetryPath, build, published.get()));
                }
            }));
        }
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    /**
     * At most {@link #THREADS} handler threads, but only as many as scrapes run at once: one
     * thread serves Prometheus's scrapes one after another, and more start only under
     * concurrent load (and end 30 s after it). A fixed pool would keep four threads alive,
     * each woken in turn. When all are busy the server's dispatcher waits for one to be free,
     * so the pool, not a queue, bounds the work in progress.
     */
    static ThreadPoolExecutor handlerPool() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                1,
                THREADS,
                30,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "sysload-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                (task, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("stopping");
                    }
                    try {
                        pool.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while waiting for a handler thread", e);
                    }
                });
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * The landing page: what the exporter is, a link to the metrics, what it watches now (the
     * NICs and disks of the published sample) and its version. Every name is HTML-escaped: an
     * interface may be named almost anything.
     */
    static byte[] landingPage(String telemetryPath, BuildInfo build, Published published) {
        StringBuilder html = new StringBuilder(1024)
                .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<title>sysload exporter</title></head>\n<body>\n")
                .append("<h1>sysload exporter</h1>\n")
                .append("<p>How close this host is to saturating its CPUs, the CPUs serving its network card's")
                .append(" interrupts, or its disks, as one number from 0 to 100.</p>\n")
                .append("<p><a href=\"")
                .append(escape(telemetryPath))
                .append("\">Metrics</a></p>\n")
                .append("<h2>Watched</h2>\n");
        Sample sample = published.sample();
        if (sample == null) {
            html.append(
                    "<p>Nothing sampled yet: the first sample is published one refresh interval after start.</p>\n");
        } else {
            html.append("<p>Network interfaces (the CPUs serving their receive interrupts): ");
            if (sample.nicIrqCpus().isEmpty()) {
                html.append("none; the NIC-IRQ CPU figure is that of all CPUs");
            }
            String separator = "";
            for (Map.Entry<String, SortedSet<Integer>> nic : sample.nicIrqCpus().entrySet()) {
                Set<Integer> cpus = nic.getValue();
                html.append(separator)
                        .append(escape(nic.getKey()))
                        .append(" (")
                        .append(cpus.isEmpty() ? "none seen yet: all CPUs" : Ranges.cpus(cpus))
                        .append(')');
                separator = ", ";
            }
            html.append("</p>\n<p>Disks: ");
            html.append(
                    sample.ioUtil().isEmpty()
                            ? "none"
                            : escape(String.join(", ", sample.ioUtil().keySet())));
            html.append("</p>\n");
        }
        html.append("<p>Version ")
                .append(escape(build.version()))
                .append(" (Java ")
                .append(escape(build.javaVersion()))
                .append(")</p>\n</body></html>\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The pages are read-only: GET and HEAD pass, anything else gets 405 (false). */
    private static boolean readOnly(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        Responses.send(exchange, 405, "text/plain; charset=utf-8", METHOD_NOT_ALLOWED);
        return false;
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        Responses.send(
                exchange, 404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
    }
}
