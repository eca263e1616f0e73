package io.github.sysloadexporter.web;

import java.util.Map;

/**
 * One reading of the web configuration file.
 *
 * @param tls     null: plain HTTP
 * @param users   user name to bcrypt hash; empty: no authentication
 * @param headers extra response headers
 */
record WebConfig(TlsSettings tls, Map<String, String> users, Map<String, String> headers) {
    static final WebConfig NONE = new WebConfig(null, Map.of(), Map.of());

    WebConfig {
        users = Map.copyOf(users);
        headers = Map.copyOf(headers);
    }
}
