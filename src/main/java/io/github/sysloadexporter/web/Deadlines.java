package io.github.sysloadexporter.web;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The request deadline: armed when a connection opens (so it covers the TLS handshake), when
 * a response is written and the socket did not take it whole (the client must take it within
 * the request timeout: one that stops reading would otherwise hold its connection for as long
 * as it reads a little every idle timeout) and when it is done (then after the idle timeout too, for the next request);
 * disarmed while a request is handled. When it fires the connection is closed, whatever the
 * client is still trickling in or taking: an idle timeout alone is reset by every byte.
 */
final class Deadlines implements Connection.Listener {
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
