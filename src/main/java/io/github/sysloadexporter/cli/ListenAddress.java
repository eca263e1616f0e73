package io.github.sysloadexporter.cli;

import java.net.InetSocketAddress;

/** Parses {@code --web.listen-address}: {@code host:port}, {@code :port} or {@code [v6]:port}. */
final class ListenAddress {
    private ListenAddress() {}

    static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen address '" + text + "' has no port; want host:port or :port");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "listen address '" + text + "': port '" + portText + "' is not a number from 0 to 65535");
        }
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new IllegalArgumentException("listen address '" + text + "': unclosed '[' in IPv6 address");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(
                    "listen address '" + text + "': put an IPv6 address in brackets," + " e.g. [::1]:9858");
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(port); // every interface
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("listen address '" + text + "': cannot resolve host '" + host + "'");
        }
        return address;
    }
}
