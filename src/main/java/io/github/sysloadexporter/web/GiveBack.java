package io.github.sysloadexporter.web;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap taken by a crowd of connections back to the system once it has gone: when
 * the open connections fall to a few after having been many, a full collection runs a
 * little later, which lets the serial collector shrink the heap (it does so only after a
 * full collection, and an idle exporter allocates too little to need one for hours). It
 * runs on connection events only: an idle exporter is never woken for it.
 */
final class GiveBack implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(GiveBack.class);

    /** So many connections at once make a crowd (the heap a TLS handshake holds: README, Limits). */
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
