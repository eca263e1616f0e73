package io.github.sysloadexporter.web;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter's HTTP(S) server: its pages by exact path, GET and HEAD only, behind the web
 * configuration's TLS, basic auth and headers, within {@link ServerLimits}.
 *
 * <p>Jetty's core server, because no client may cost a thread while it is slow: one selector
 * thread reads every connection as bytes come, and answers a request once its whole head is
 * in. A connection that has not finished its TLS handshake and request head
 * within the request timeout is closed ({@link Deadlines}); one idle for the idle timeout is
 * closed; past the connection limit new connections wait in the kernel's accept queue; past
 * the request limit a request gets 503 at once. Nothing the selector does waits: the one slow
 * step, bcrypt, is handed to a bounded queue that refuses rather than blocks.
 *
 * <p>Sized for a daemon that answers a scrape a second: heap buffers, bounded in the pool, so
 * that memory taken by a burst is given back to the heap; one selector, one acceptor,
 * no reserved threads, a pool of a few threads.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final int POOL_THREADS = 6;

    private final Server server;
    private final ServerConnector connector;

    private WebServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Binds and starts serving {@code pages} (path to page).
     *
     * @throws java.net.BindException when the address is in use or not local
     */
    public static WebServer start(
            InetSocketAddress address, ServerLimits limits, WebSecurity security, Map<String, Page> pages)
            throws IOException {
        // Threads: the acceptor, the selector, which also runs the pages (Routes), and a few for
        // Jetty's own blocking tasks; the bcrypt threads are Routes' own. They are made here, not
        // by Jetty's default factory, which makes each inside AccessController.doPrivileged
        // called through method handles (a class spun for them, lambda forms), for a security
        // manager that the exporter never has.
        AtomicInteger threads = new AtomicInteger();
        QueuedThreadPool pool = new QueuedThreadPool(POOL_THREADS, 2, 30_000, 0, null, null, r -> {
            Thread t = new Thread(r, "sysload-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Scheduler scheduler = new ScheduledExecutorScheduler("sysload-http-timer", true);
        // Heap buffers of up to 64 KB, the pool keeping at most 1 MB of them between bursts.
        ArrayByteBufferPool buffers = new ArrayByteBufferPool(0, 1024, 65536, -1, 1 << 20, 1 << 16);
        // Given the connector's scheduler and pool, the server makes no second ones of its own.
        Server server = new Server(pool, scheduler, buffers);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16384); // a scrape sends about 300 bytes
        // No per-connection cache of the first request's header fields: from its second
        // request on, each connection would keep 100 KB of lookup table for them, so that a
        // few hundred kept-alive connections, well within --web.max-connections, filled the
        // heap (README, Limits). A scrape's fields are parsed anew, a few short strings.
        http.setHeaderCacheSize(0);
        http.setOutputBufferSize(8192);
        http.setUseInputDirectByteBuffers(false);
        http.setUseOutputDirectByteBuffers(false);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        // The TLS factory is TlsHandshakes' to build: a plain start loads none of its classes.
        ConnectionFactory[] factories = security.tls()
                ? new ConnectionFactory[] {TlsHandshakes.factory(security, h1.getProtocol()), h1}
                : new ConnectionFactory[] {h1};
        // One acceptor thread: with none, the selector accepts, and when the connection limit
        // paused accepting there, Jetty 12.1 closed the listening socket instead (a flood of
        // 10,000 connections left the exporter deaf for good; hostile-clients.py flood10000).
        ServerConnector connector = new ServerConnector(server, pool, scheduler, buffers, 1, 1, factories);
        // No host: every address, IPv4 and IPv6, as ":9858" means.
        connector.setHost(
                address.getAddress() == null || address.getAddress().isAnyLocalAddress()
                        ? null
                        : address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(128);
        connector.setAcceptedTcpNoDelay(true);
        Deadlines deadlines = new Deadlines(scheduler, limits);
        connector.addBean(deadlines);
        connector.addBean(new GiveBack(scheduler, System::gc));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setHandler(new Routes(pages, security, limits.maxRequests(), deadlines, scheduler));
        server.setStopTimeout(1000);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            // Jetty wraps it ("Failed to bind to ..."); the caller tells an address in use by its type.
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof BindException bind) {
                    throw bind;
                }
            }
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException("cannot start the HTTP server: " + e.getMessage(), e);
        }
        return new WebServer(server, connector);
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing is left to serve, and the JVM is usually exiting
        }
    }
}
