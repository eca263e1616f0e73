package io.github.sysloadexporter.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT end the exporter with status 0. A JVM left to its default handling
 * exits 143 on SIGTERM, which systemd and scripts read as a failure.
 */
final class Signals {
    private Signals() {}

    /** Replaces the handlers installed before: the last call decides what a signal does. */
    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }

    /**
     * SIGHUP re-reads the web configuration (as {@code systemctl reload} sends it). Left to
     * the JVM, SIGHUP would end the process.
     */
    static void onHangup(Runnable action) {
        Signal.handle(new Signal("HUP"), s -> action.run());
    }
}
