package io.github.sysloadexporter.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A page of the server: what it answers to a GET of its path. The server has already checked
 * the method, the path and the client's credentials; a HEAD gets the same status and headers
 * and no body. A page renders, it never blocks on the network.
 */
@FunctionalInterface
public interface Page {
    Reply get(PageRequest request) throws IOException;

    /**
     * What a page may read of a request.
     *
     * @param query   the raw query string, or null when there is none
     * @param headers every value of a request header by its name (any case), empty when absent
     */
    record PageRequest(String query, Function<String, List<String>> headers) {
        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> values = headers.apply(name);
            return values.isEmpty() ? null : values.get(0);
        }
    }

    /** A whole response: status, content type, further headers and the body a GET gets. */
    record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
        public Reply {
            headers = Map.copyOf(headers);
        }

        public static Reply text(int status, String text) {
            return new Reply(
                    status,
                    "text/plain; charset=utf-8",
                    Map.of(),
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
