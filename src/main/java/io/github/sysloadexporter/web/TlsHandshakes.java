package io.github.sysloadexporter.web;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS connections whose handshake runs on {@link SideThreads} of its own, one handshake step
 * at a time per thread, never where Jetty found the connection readable.
 *
 * <p>A server's handshake costs about a millisecond of CPU (key exchange and signature). When
 * 1,000 clients open connections at once, a second of handshakes is due together; run where
 * the selector found them readable, the kept-alive scraper's next request waited behind them
 * (p99 0.26 to 0.8 s in hostile-clients.py's tls1000). Here they queue apart, and a connection
 * whose handshake is done is read at once. The queue needs no bound of its own: a connection
 * has at most one step waiting, and the connections are bounded (--web.max-connections).
 */
final class TlsHandshakes extends SslConnectionFactory {
    private final ThreadPoolExecutor handshakes = SideThreads.pool("sysload-tls", new LinkedBlockingQueue<>());

    TlsHandshakes(SslContextFactory.Server ssl, String nextProtocol) {
        super(ssl, nextProtocol);
    }

    /** The server's TLS connections for {@code security}'s material and settings, then {@code nextProtocol}. */
    static ConnectionFactory factory(WebSecurity security, String nextProtocol) throws IOException {
        SSLContext ctx = security.sslContext();
        SslContextFactory.Server ssl = new SslContextFactory.Server() {
            // Every new connection takes the file's TLS settings of the moment.
            @Override
            public void customize(SSLEngine engine) {
                engine.setUseClientMode(false);
                engine.setSSLParameters(security.sslParameters(ctx));
            }

            // Jetty would warn of "weak" suites among the JDK's defaults, which customize()
            // replaces with the web configuration's: no such warning applies.
            @Override
            protected void checkConfiguration() {}
        };
        ssl.setSslContext(ctx);
        TlsHandshakes tls = new TlsHandshakes(ssl, nextProtocol);
        tls.setDirectBuffersForEncryption(false);
        tls.setDirectBuffersForDecryption(false);
        // Its SNI host check would refuse a scrape by IP address of a host whose certificate names it.
        tls.setEnsureSecureRequestCustomizer(false);
        return tls;
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new Offloaded(connector, endPoint, engine);
    }

    @Override
    protected void doStop() throws Exception {
        handshakes.shutdownNow();
        super.doStop();
    }

    private final class Offloaded extends SslConnection implements SslHandshakeListener {
        private volatile boolean handshaken;

        Offloaded(Connector connector, EndPoint endPoint, SSLEngine engine) {
            super(
                    connector.getByteBufferPool(),
                    connector.getExecutor(),
                    getSslContextFactory(),
                    endPoint,
                    engine,
                    isDirectBuffersForEncryption(),
                    isDirectBuffersForDecryption());
            addHandshakeListener(this);
        }

        @Override
        public void handshakeSucceeded(Event event) {
            handshaken = true;
        }

        @Override
        public void onFillable() {
            if (handshaken) {
                super.onFillable();
                return;
            }
            try {
                handshakes.execute(super::onFillable);
            } catch (RejectedExecutionException e) {
                getEndPoint().close(); // stopping
            }
        }
    }
}
