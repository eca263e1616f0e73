package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.Test;

/** One collection after a crowd of connections has gone, and none for everyday traffic. */
class GiveBackTest {
    /** Runs nothing by itself: the test runs what was scheduled when it says the delay is over. */
    static final class Later extends AbstractLifeCycle implements Scheduler {
        final List<Runnable> due = new ArrayList<>();

        @Override
        public Task schedule(Runnable task, long delay, TimeUnit units) {
            assertEquals(GiveBack.DELAY_MILLIS, units.toMillis(delay));
            due.add(task);
            return () -> due.remove(task);
        }

        void runDue() {
            List<Runnable> now = new ArrayList<>(due);
            due.clear();
            now.forEach(Runnable::run);
        }
    }

    final Later later = new Later();
    final AtomicInteger collections = new AtomicInteger();
    final GiveBack giveBack = new GiveBack(later, collections::incrementAndGet);

    void open(int n) {
        for (int i = 0; i < n; i++) {
            giveBack.opened();
        }
    }

    void close(int n) {
        for (int i = 0; i < n; i++) {
            giveBack.closed();
        }
    }

    @Test
    void everydayTrafficNeverCollects() {
        for (int round = 0; round < 50; round++) {
            open(GiveBack.CROWD - 1);
            close(GiveBack.CROWD - 1);
        }
        assertEquals(0, later.due.size());
        assertEquals(0, collections.get());
    }

    @Test
    void aCrowdThatGoesIsCollectedOnceAfterTheDelay() {
        open(1); // the scraper, which stays
        open(1000);
        close(1000);
        assertEquals(1, later.due.size(), "one collection scheduled");
        assertEquals(0, collections.get(), "not before the delay");
        later.runDue();
        assertEquals(1, collections.get());
        open(10);
        close(10);
        assertEquals(0, later.due.size(), "no crowd since");
    }

    @Test
    void aCrowdBackBeforeTheDelayIsCollectedWhenItGoesAgain() {
        open(1000);
        close(1000);
        open(500); // back within the delay
        later.runDue();
        assertEquals(0, collections.get(), "not while it is there");
        close(500);
        later.runDue();
        assertEquals(1, collections.get());
    }
}
