package io.github.sysloadexporter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.sysloadexporter.web.Responses;
import io.github.sysloadexporter.web.WebSecurity;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * (simpleclient's own HTTPServer would claim {@code /} for metrics).
 */
public final class MetricsServer implements AutoCloseable {
    /** Handler threads at most: so many scrapes are served at once. */
    public static final int THREADS = 4;

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

    /** As above, with TLS, basic authentication and headers of {@code --web.config.file}. */
    public static MetricsServer start(
            InetSocketAddress address, String telemetryPath, CollectorRegistry registry, WebSecurity web)
            throws IOException {
        return start(address, telemetryPath, registry, Object::new, web);
    }

    /**
     * As above, and the text exposition is rendered once per {@code sampleVersion}: while it
     * returns the same object, scrapes get the bytes rendered for it.
     */
    public static MetricsServer start(
            InetSocketAddress address,
            String telemetryPath,
            CollectorRegistry registry,
            Supplier<?> sampleVersion,
            WebSecurity web)
            throws IOException {
        HttpServer server = web.createServer(address, 64);
        ThreadPoolExecutor executor = handlerPool();
        HttpHandler metrics = new CachedExposition(registry, sampleVersion, new HTTPServer.HTTPMetricHandler(registry));
        server.createContext(telemetryPath, web.guard(exchange -> {
            if (!exchange.getRequestURI().getPath().equals(telemetryPath)) {
                notFound(exchange);
                return;
            }
            metrics.handle(exchange);
        }));
        if (!telemetryPath.equals("/")) {
            byte[] landing = landingPage(telemetryPath);
            server.createContext("/", web.guard(exchange -> {
                if (exchange.getRequestURI().getPath().equals("/")) {
                    Responses.send(exchange, 200, "text/html; charset=utf-8", landing);
                } else {
                    notFound(exchange);
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

    private static byte[] landingPage(String telemetryPath) {
        String path = telemetryPath.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
        String html = "<!DOCTYPE html>\n<html><head><title>sysload exporter</title></head>\n<body>\n"
                + "<h1>sysload exporter</h1>\n"
                + "<p>How close this host is to saturating its CPUs, the CPUs serving its network card's"
                + " interrupts, or its disks, as one number from 0 to 100.</p>\n"
                + "<p><a href=\"" + path + "\">Metrics</a></p>\n</body></html>\n";
        return html.getBytes(StandardCharsets.UTF_8);
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        Responses.send(
                exchange, 404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
    }
}
