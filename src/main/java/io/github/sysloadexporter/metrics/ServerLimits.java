package io.github.sysloadexporter.metrics;

import java.util.Map;

/**
 * Bounds on the JDK HTTP server, so that slow, idle or many clients cannot hold its threads
 * or memory. The server reads these system properties once, when its implementation class
 * loads (at the first HttpServer.create in the JVM), so they are set just before that; a
 * value given with -D on the command line wins.
 *
 * <p>Without them a client that opens a connection and sends half a request holds a handler
 * thread for ever (no request or response time limit by default), and connections are
 * unbounded. With them (each checked every 5 s, so enforced within 5 s of its limit: the check
 * is a wake-up, and an idle exporter should wake as little as it can): a request must arrive
 * within 10 s (an idle new connection is closed then too), a response must be taken within
 * 30 s, keep-alive connections idle for 30 s are closed, and at most 256 connections are open
 * at once (further ones are closed on accept).
 */
final class ServerLimits {
    static final Map<String, String> PROPERTIES = Map.of(
            "sun.net.httpserver.maxReqTime", "10", // seconds to receive a whole request
            "sun.net.httpserver.maxRspTime", "30", // seconds to send a response
            "sun.net.httpserver.idleInterval", "30", // seconds a keep-alive connection may idle
            "sun.net.httpserver.timerMillis", "5000", // how often those limits are checked (a wake-up each)
            "sun.net.httpserver.maxIdleConnections", "64",
            "jdk.httpserver.maxConnections", "256",
            "sun.net.httpserver.maxReqHeaders", "64", // a scrape sends about 5
            "sun.net.httpserver.maxReqHeaderSize", "16384"); // bytes of all headers

    private ServerLimits() {
    }

    static void apply() {
        PROPERTIES.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
    }
}
