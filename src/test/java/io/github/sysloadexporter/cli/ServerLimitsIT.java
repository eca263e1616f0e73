package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.metrics.MetricsServer;
import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.testing.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients cannot take the exporter: more half-sent requests than it has handler
 * threads, and 200 idle connections, and a scrape is still answered once the first of the slow
 * ones are cut off; all of them are cut off. The exporter is the jar started with no -D, so its
 * limits are the ones JvmSettings makes, as an operator gets them.
 *
 * <p>The JDK checks the request limit every timerMillis on a clock that itself moves in those
 * steps, so a half-sent request is cut off some 15 to 22 s after it came (measured here, with
 * the 10 s limit and 5 s checks): within the limit plus two check intervals, and some slack.
 * The first {@link MetricsServer#THREADS} slow clients hold every handler thread until then,
 * and the server's dispatcher waits for a free thread before it reads anything more, the scrape
 * included; the later slow clients are read, and cut off, one such span after.
 */
class ServerLimitsIT {
    @Test
    void slowAndIdleClientsAreCutOffAndScrapesGoOn() throws Exception {
        int port = Ports.free();
        Process exporter = ExporterProcess.start("--web.listen-address", "127.0.0.1:" + port);
        List<Socket> slow = new ArrayList<>();
        List<Socket> idle = new ArrayList<>();
        try {
            Http http = new Http(Duration.ofSeconds(60));
            assertTrue(http.awaitFirstSample(port).contains("\nsysload_sysload "), "not serving");
            long t0 = System.nanoTime();
            for (int i = 0; i < 2 * MetricsServer.THREADS; i++) {
                Socket s = new Socket("127.0.0.1", port);
                // a request line and one header, never the blank line that ends the request
                s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            for (int i = 0; i < 200; i++) { // below the cap of 256: above it, new ones are refused
                idle.add(new Socket("127.0.0.1", port));
            }
            double cutOff = limit("sun.net.httpserver.maxReqTime") + 2 * limit("sun.net.httpserver.timerMillis") / 1000;
            http.metrics(port);
            double waited = seconds(t0);
            System.out.printf("scrape behind slow and idle clients answered after %.1f s%n", waited);
            assertTrue(waited < cutOff + 10, "scrape answered after " + waited + " s, bound " + (cutOff + 10) + " s");
            for (Socket s : slow) {
                s.setSoTimeout(60_000);
                assertTrue(closed(s.getInputStream()), "a half-sent request is cut off");
            }
            double all = seconds(t0);
            System.out.printf("every slow client cut off after %.1f s%n", all);
            assertTrue(all < 2 * cutOff + 10, "slow clients cut off after " + all + " s, bound " + (2 * cutOff + 10));
            assertTrue(exporter.isAlive());
        } finally {
            for (Socket s : slow) {
                s.close();
            }
            for (Socket s : idle) {
                s.close();
            }
            exporter.destroyForcibly();
        }
    }

    private static double limit(String property) {
        return Double.parseDouble(JvmSettings.HTTP_SERVER_LIMITS.get(property));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
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
