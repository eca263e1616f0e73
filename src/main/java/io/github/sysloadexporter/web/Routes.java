package io.github.sysloadexporter.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a request: the request limit, admission, path, method, then the page. It runs where
 * Jetty parsed the request, on the selector thread (it declares itself non-blocking): a page
 * renders in microseconds, and the one slow step, a bcrypt of credentials not yet cached,
 * goes to threads of its own, whose queue is bounded (a request it cannot take gets 503).
 * A request counts against the limit until its response is written: what the client then
 * takes, or not, is the connection's deadline's business.
 */
final class Routes extends Handler.Abstract {
    private static final Page.Reply NOT_FOUND = Page.Reply.text(404, "404 page not found\n");
    private static final Page.Reply METHOD_NOT_ALLOWED = new Page.Reply(
            405,
            "text/plain; charset=utf-8",
            Map.of("Allow", "GET, HEAD"),
            "405 method not allowed: GET or HEAD\n".getBytes(StandardCharsets.UTF_8));
    private static final Page.Reply TOO_MANY = Page.Reply.text(503, "503 too many requests at once, try again\n");
    private static final Page.Reply SERVER_ERROR = Page.Reply.text(500, "500 internal server error, see the log\n");
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

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

    Routes(Map<String, Page> pages, WebSecurity security, int maxRequests, Deadlines deadlines, Scheduler scheduler) {
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
        if (bcryptWaiting.merge(from, 1, Integer::sum) <= BCRYPT_PER_ADDRESS) {
            return true;
        }
        releaseBcrypt(from);
        return false;
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
     * limit and, if the socket did not take it whole, arms the deadline for the client to take
     * it; its completion, before Jetty hears of it (so before a pipelined next request is
     * parsed), arms the next request's.
     */
    private final class Exchange {
        final Request request;
        final boolean head;
        private final Response response;
        private final Callback callback;
        private final ConnectionMetaData meta;
        private final AtomicBoolean sent = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private boolean completed; // under this: the response was taken

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
            response.setStatus(reply.status());
            HttpFields.Mutable h = response.getHeaders();
            extra.forEach(h::put);
            reply.headers().forEach(h::put);
            h.put(HttpHeader.CONTENT_TYPE, reply.contentType());
            // A HEAD gets the length a GET would get, and no body.
            h.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
            response.write(true, head ? null : ByteBuffer.wrap(reply.body()), Callback.from(this::done, callback));
            // Most responses are taken whole by the socket inside write(): then done() has armed
            // the next request's deadline already, and a timer entry per scrape is saved.
            synchronized (this) {
                if (!completed) {
                    deadlines.responseWritten(meta);
                }
            }
        }

        /** The response is taken: the next request's deadline, never overtaken by the response's. */
        private synchronized void done() {
            completed = true;
            deadlines.responseDone(meta);
        }
    }

    @Override
    protected void doStop() throws Exception {
        bcrypt.shutdownNow();
        super.doStop();
    }
}
