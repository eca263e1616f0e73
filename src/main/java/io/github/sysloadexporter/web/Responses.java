package io.github.sysloadexporter.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Sends a whole response, as every handler of the exporter does; HEAD gets the headers only. */
public final class Responses {
    private Responses() {}

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (exchange.getRequestMethod().equals("HEAD")) {
                // The length a GET would get; the JDK server sends no body, and warns if given one.
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
