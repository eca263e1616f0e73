package io.github.sysloadexporter.web;

import java.time.Duration;

/**
 * What one client may cost the server, so that none can stop the others' scrapes (README
 * "Limits" has the measurements behind the defaults).
 *
 * @param requestTimeout a new connection must have completed its TLS handshake and sent a whole
 *                       request head within this, or it is closed; so must each further request
 *                       of a kept-alive connection, counted from the end of the idle timeout;
 *                       and a response must be taken within this once written
 * @param idleTimeout    a connection with nothing to read or write for this long is closed
 * @param maxRequests    requests handled at once, from their head until their response is
 *                       written; one more gets 503 at once
 * @param maxConnections connections open at once; further ones wait in the kernel's accept
 *                       queue until one closes
 */
public record ServerLimits(Duration requestTimeout, Duration idleTimeout, int maxRequests, int maxConnections) {
    /**
     * 5 s covers a scrape over a slow link and cuts a client that never finishes; 40 requests
     * as node_exporter's --web.max-requests; 2,000 connections hold 1,000 hostile clients and
     * every scraper, and their TLS handshakes fit in the package's heap (README, Limits).
     */
    public static final ServerLimits DEFAULTS =
            new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 40, 2000);

    public ServerLimits {
        if (requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("--web.request-timeout must be at least 1ms, got " + requestTimeout);
        }
        if (idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("--web.idle-timeout must be at least 1ms, got " + idleTimeout);
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("--web.max-requests must be at least 1, got " + maxRequests);
        }
        if (maxConnections < 2) {
            throw new IllegalArgumentException("--web.max-connections must be at least 2, got " + maxConnections);
        }
    }
}
