package io.github.sysloadexporter.web;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the server's CPU-heavy steps (bcrypt, TLS handshakes), apart from the selector
 * and Jetty's pool so that a crowd of them never delays a scrape's read. Each pool has at most
 * half the CPUs (one of two), so a crowd of one kind costs that much and no more (a crowd of
 * both kinds at once can take them all); the threads end when idle, so an idle exporter has
 * none.
 */
final class SideThreads {
    private static final long KEEP_ALIVE_SECONDS = 30;

    private SideThreads() {}

    static ThreadPoolExecutor pool(String name, BlockingQueue<Runnable> queue) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, queue, r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
