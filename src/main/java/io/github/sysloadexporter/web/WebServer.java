package io.github.sysloadexporter.web;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
    private static final Page.Reply NOT_FOUND = Page.Reply.text(404, "404 page not found\n");
    private static final Page.Reply METHOD_NOT_ALLOWED = new Page.Reply(
            405,
            "text/plain; charset=utf-8",
            Map.of("Allow", "GET, HEAD"),
            bytes("405 method not allowed: GET or HEAD\n"));
    private static final Page.Reply TOO_MANY = Page.Reply.text(503, "503 too many requests at once, try again\n");
    private static final Page.Reply SERVER_ERROR = Page.Reply.text(500, "500 internal server error, see the log\n");

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
        // Jetty's own blocking tasks; the bcrypt threads are Routes' own.
        QueuedThreadPool pool = new QueuedThreadPool(POOL_THREADS, 2, 30_000);
        pool.setName("sysload-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server server = new Server(pool);
        Scheduler scheduler = new ScheduledExecutorScheduler("sysload-http-timer", true);
        // Heap buffers of up to 64 KB, the pool keeping at most 1 MB of them between bursts.
        ArrayByteBufferPool buffers = new ArrayByteBufferPool(0, 1024, 65536, -1, 1 << 20, 1 << 16);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16384); // a scrape sends about 300 bytes
        http.setOutputBufferSize(8192);
        http.setUseInputDirectByteBuffers(false);
        http.setUseOutputDirectByteBuffers(false);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ConnectionFactory[] factories;
        if (security.tls()) {
            SSLContext ctx = security.sslContext();
            SslContextFactory.Server ssl = new SslContextFactory.Server() {
                // Every new connection takes the file's TLS settings of the moment.
                @Override
                public void customize(SSLEngine engine) {
                    engine.setUseClientMode(false);
                    engine.setSSLParameters(security.sslParameters(ctx));
                }

                // Jetty would warn of "weak" suites among the JDK's defaults, which customize()
                // replaces with the web configuration's: no such warning applies.
                @Override
                protected void checkConfiguration() {}
            };
            ssl.setSslContext(ctx);
            SslConnectionFactory tls = new TlsHandshakes(ssl, h1.getProtocol());
            tls.setDirectBuffersForEncryption(false);
            tls.setDirectBuffersForDecryption(false);
            // Its SNI host check would refuse a scrape by IP address of a host whose certificate names it.
            tls.setEnsureSecureRequestCustomizer(false);
            factories = new ConnectionFactory[] {tls, h1};
        } else {
            factories = new ConnectionFactory[] {h1};
        }
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

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The request deadline: armed when a connection opens (so it covers the TLS handshake), when
     * a response is written (the client must take it within the request timeout: one that
     * stops reading would otherwise hold its connection for as long as it reads a little every
     * idle timeout) and when it is done (then after the idle timeout too, for the next request);
     * disarmed while a request is handled. When it fires the connection is closed, whatever the
     * client is still trickling in or taking: an idle timeout alone is reset by every byte.
     */
    static final class Deadlines implements Connection.Listener {
        private static final String TASK = Deadlines.class.getName();
        private final Scheduler scheduler;
        private final long requestMillis;
        private final long nextRequestMillis;

        Deadlines(Scheduler scheduler, ServerLimits limits) {
            this.scheduler = scheduler;
            this.requestMillis = limits.requestTimeout().toMillis();
            this.nextRequestMillis = limits.idleTimeout().toMillis() + requestMillis;
        }

        @Override
        public void onOpened(Connection connection) {
            // The HTTP connection is the one with metadata; under TLS it opens with the TLS one.
            if (connection instanceof ConnectionMetaData meta) {
                arm(meta, connection.getEndPoint(), requestMillis);
            }
        }

        @Override
        public void onClosed(Connection connection) {
            if (connection instanceof ConnectionMetaData meta) {
                disarm(meta);
            }
        }

        void headReceived(ConnectionMetaData meta) {
            disarm(meta);
        }

        void responseWritten(ConnectionMetaData meta) {
            arm(meta, meta.getConnection().getEndPoint(), requestMillis);
        }

        void responseDone(ConnectionMetaData meta) {
            arm(meta, meta.getConnection().getEndPoint(), nextRequestMillis);
        }

        private void arm(ConnectionMetaData meta, EndPoint endPoint, long millis) {
            Scheduler.Task task = scheduler.schedule(endPoint::close, millis, TimeUnit.MILLISECONDS);
            Object old = meta.setAttribute(TASK, task);
            if (old instanceof Scheduler.Task t) {
                t.cancel();
            }
            if (!endPoint.isOpen()) {
                disarm(meta); // closed meanwhile, after onClosed: nothing left to hold it
            }
        }

        private static void disarm(ConnectionMetaData meta) {
            if (meta.removeAttribute(TASK) instanceof Scheduler.Task t) {
                t.cancel();
            }
        }
    }

    /**
     * Gives the heap taken by a crowd of connections back to the system once it has gone: when
     * the open connections fall to a few after having been many, a full collection runs a
     * little later, which lets the serial collector shrink the heap (it does so only after a
     * full collection, and an idle exporter allocates too little to need one for hours). It
     * runs on connection events only: an idle exporter is never woken for it.
     */
    static final class GiveBack implements Connection.Listener {
        /** So many connections at once make a crowd (about 2 MB of heap with TLS handshakes). */
        static final int CROWD = 100;

        static final int FEW = 4;
        static final long DELAY_MILLIS = 10_000;

        private final Scheduler scheduler;
        private final Runnable collect;
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicBoolean crowded = new AtomicBoolean();

        /** @param collect what gives the memory back: {@code System::gc} */
        GiveBack(Scheduler scheduler, Runnable collect) {
            this.scheduler = scheduler;
            this.collect = collect;
        }

        @Override
        public void onOpened(Connection connection) {
            if (connection instanceof ConnectionMetaData) {
                opened();
            }
        }

        @Override
        public void onClosed(Connection connection) {
            if (connection instanceof ConnectionMetaData) {
                closed();
            }
        }

        void opened() {
            if (open.incrementAndGet() >= CROWD) {
                crowded.set(true);
            }
        }

        void closed() {
            if (open.decrementAndGet() <= FEW && crowded.getAndSet(false)) {
                scheduler.schedule(this::collectIfGone, DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        private void collectIfGone() {
            if (open.get() <= FEW) {
                LOG.debug("the crowd of connections has gone: collecting to give its memory back");
                collect.run();
            } else {
                crowded.set(true); // back again: collect when it goes
            }
        }
    }

    /**
     * Routes a request: the request limit, admission, path, method, then the page. It runs where
     * Jetty parsed the request, on the selector thread (it declares itself non-blocking): a page
     * renders in microseconds, and the one slow step, a bcrypt of credentials not yet cached,
     * goes to threads of its own, whose queue is bounded (a request it cannot take gets 503).
     * A request counts against the limit until its response is written: what the client then
     * takes, or not, is the connection's deadline's business.
     */
    static final class Routes extends Handler.Abstract {
        /** Credential checks waiting for a bcrypt thread; one more gets 503 at once. */
        static final int BCRYPT_QUEUE = 64;

        /**
         * Checks waiting for bcrypt from one client address: one host sending wrong passwords
         * cannot fill the queue and keep out a scraper whose password is not yet cached.
         */
        static final int BCRYPT_PER_ADDRESS = 8;

        private static final Page.Reply BCRYPT_BUSY =
                Page.Reply.text(503, "503 too many password checks at once, try again\n");

        /**
         * A check refused for want of room is answered this much later: answered at once, a
         * client that sends wrong passwords in a loop would come back thousands of times a
         * second (TLS and parsing cost more than the bcrypt it cannot get); waiting costs a
         * timer entry, and its place in the request limit is given back meanwhile.
         */
        static final long BUSY_DELAY_MILLIS = 1000;

        private final Map<String, Page> pages;
        private final WebSecurity security;
        private final int maxRequests;
        private final Deadlines deadlines;
        private final Scheduler scheduler;
        private final ThreadPoolExecutor bcrypt;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final ConcurrentHashMap<Object, Integer> bcryptWaiting = new ConcurrentHashMap<>();

        Routes(
                Map<String, Page> pages,
                WebSecurity security,
                int maxRequests,
                Deadlines deadlines,
                Scheduler scheduler) {
            super(InvocationType.NON_BLOCKING);
            this.pages = Map.copyOf(pages);
            this.security = security;
            this.maxRequests = maxRequests;
            this.deadlines = deadlines;
            this.scheduler = scheduler;
            this.bcrypt = SideThreads.pool("sysload-bcrypt", new ArrayBlockingQueue<>(BCRYPT_QUEUE));
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Exchange x = new Exchange(request, response, callback);
            if (inFlight.incrementAndGet() > maxRequests) {
                x.send(Map.of(), TOO_MANY);
                return true;
            }
            String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            WebSecurity.Admission admission;
            try {
                admission = security.admitWithoutBcrypt(authorization);
            } catch (RuntimeException e) {
                x.fail(e);
                return true;
            }
            if (admission != null) {
                answer(x, admission);
            } else {
                checkPassword(x, authorization);
            }
            return true;
        }

        private void checkPassword(Exchange x, String authorization) {
            Object from = x.client();
            if (!reserveBcrypt(from)) {
                refuseLater(x);
                return;
            }
            try {
                bcrypt.execute(() -> {
                    long t0 = System.nanoTime();
                    try {
                        answer(x, security.admit(authorization));
                    } catch (RuntimeException e) {
                        x.fail(e);
                    } finally {
                        releaseBcrypt(from);
                    }
                    restAfter(System.nanoTime() - t0);
                });
            } catch (RejectedExecutionException e) {
                releaseBcrypt(from);
                refuseLater(x);
            }
        }

        private void refuseLater(Exchange x) {
            x.release();
            scheduler.schedule(() -> x.send(Map.of(), BCRYPT_BUSY), BUSY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }

        private boolean reserveBcrypt(Object from) {
            int[] waiting = new int[1];
            bcryptWaiting.compute(from, (k, n) -> {
                waiting[0] = n == null ? 1 : n + 1;
                return waiting[0] > BCRYPT_PER_ADDRESS ? n : Integer.valueOf(waiting[0]);
            });
            return waiting[0] <= BCRYPT_PER_ADDRESS;
        }

        private void releaseBcrypt(Object from) {
            bcryptWaiting.computeIfPresent(from, (k, n) -> n <= 1 ? null : n - 1);
        }

        private void answer(Exchange x, WebSecurity.Admission admission) {
            Page.Reply reply;
            Request request = x.request;
            // CONNECT and the like have no path: no page.
            String path = request.getHttpURI().getDecodedPath();
            try {
                Page page = path == null ? null : pages.get(path);
                if (admission.refusal() != null) {
                    reply = admission.refusal();
                } else if (page == null) {
                    reply = NOT_FOUND;
                } else if (!x.head && !request.getMethod().equals("GET")) {
                    reply = METHOD_NOT_ALLOWED;
                } else {
                    HttpFields fields = request.getHeaders();
                    reply = page.get(new Page.PageRequest(request.getHttpURI().getQuery(), name -> {
                        List<String> values = fields.getValuesList(name);
                        return values == null ? List.of() : values;
                    }));
                }
            } catch (IOException | RuntimeException e) {
                x.fail(e);
                return;
            }
            x.send(admission.headers(), reply);
        }

        /**
         * A bcrypt thread rests an eighth of the time it worked, so that a flood of wrong
         * passwords keeps it below a whole core and leaves the rest of the process, the
         * selector with the scrapes, its share of the CPU.
         */
        private static void restAfter(long workedNanos) {
            try {
                TimeUnit.NANOSECONDS.sleep(workedNanos / 8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * One request and its one response: sending it gives back the request's place in the
         * limit and arms the deadline for the client to take it; its completion, before Jetty
         * hears of it (so before a pipelined next request is parsed), arms the next request's.
         */
        private final class Exchange {
            final Request request;
            final boolean head;
            private final Response response;
            private final Callback callback;
            private final ConnectionMetaData meta;
            private final AtomicBoolean sent = new AtomicBoolean();
            private final AtomicBoolean released = new AtomicBoolean();

            Exchange(Request request, Response response, Callback callback) {
                this.request = request;
                this.response = response;
                this.callback = callback;
                this.meta = request.getConnectionMetaData();
                this.head = request.getMethod().equals("HEAD");
                deadlines.headReceived(meta);
            }

            /** The client's host: its IP address (any port), or its socket address when it has none. */
            Object client() {
                SocketAddress remote = meta.getRemoteSocketAddress();
                return remote instanceof InetSocketAddress a && a.getAddress() != null
                        ? a.getAddress()
                        : String.valueOf(remote);
            }

            void fail(Exception e) {
                LOG.warn("answering 500: {}", e.toString());
                send(Map.of(), SERVER_ERROR);
            }

            /** Gives back the request's place in the limit (once): it is no longer being handled. */
            void release() {
                if (released.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            }

            void send(Map<String, String> extra, Page.Reply reply) {
                if (!sent.compareAndSet(false, true)) {
                    return;
                }
                release();
                deadlines.responseWritten(meta);
                response.setStatus(reply.status());
                HttpFields.Mutable h = response.getHeaders();
                extra.forEach(h::put);
                reply.headers().forEach(h::put);
                h.put(HttpHeader.CONTENT_TYPE, reply.contentType());
                // A HEAD gets the length a GET would get, and no body.
                h.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
                response.write(
                        true,
                        head ? null : ByteBuffer.wrap(reply.body()),
                        Callback.from(() -> deadlines.responseDone(meta), callback));
            }
        }

        @Override
        protected void doStop() throws Exception {
            bcrypt.shutdownNow();
            super.doStop();
        }
    }
}
