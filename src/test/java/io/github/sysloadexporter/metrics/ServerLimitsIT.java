package io.github.sysloadexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Http;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients cannot take the server: more half-sent requests than there are
 * handler threads, and 200 idle connections, and a scrape still
 * gets its answer once the request time limit has passed; the slow ones are cut off.
 */
class ServerLimitsIT {
    @Test
    void slowAndIdleClientsAreCutOffAndScrapesGoOn() throws Exception {
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), "/metrics",
                new CollectorRegistry())) {
            // ServerLimits are read when the server class first loads: true unless -D overrode them.
            assertEquals("10", System.getProperty("sun.net.httpserver.maxReqTime"));
            List<Socket> slow = new ArrayList<>();
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 2 * MetricsServer.THREADS; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    // a request line and one header, never the blank line that ends the request
                    s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    slow.add(s);
                }
                for (int i = 0; i < 200; i++) { // below the cap of 256: above it, new ones are refused
                    idle.add(new Socket("127.0.0.1", server.port()));
                }
                long t0 = System.nanoTime();
                new Http(Duration.ofSeconds(30)).metrics(server.port());
                double waited = (System.nanoTime() - t0) / 1e9;
                System.out.println("scrape behind slow and idle clients answered after " + waited + " s");
                // Cut off at the first check after the request limit: at most a check interval late.
                double bound = Double.parseDouble(System.getProperty("sun.net.httpserver.maxReqTime"))
                        + Double.parseDouble(System.getProperty("sun.net.httpserver.timerMillis")) / 1000 + 3;
                assertTrue(waited < bound, "scrape answered after " + waited + " s, bound " + bound + " s");
                for (Socket s : slow) {
                    s.setSoTimeout(20_000);
                    assertTrue(closed(s.getInputStream()), "a half-sent request is cut off");
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    private static boolean closed(InputStream in) throws IOException {
        try {
            byte[] buf = new byte[1024];
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    return true;
                }
            }
        } catch (SocketException reset) {
            return true;
        }
    }
}
