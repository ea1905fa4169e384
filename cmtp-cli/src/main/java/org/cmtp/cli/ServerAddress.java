package org.cmtp.cli;

import java.net.InetSocketAddress;
import org.cmtp.protocol.DefaultPort;

/** {@code --server HOST[:PORT]}: a host name, an IPv4 address or a bracketed IPv6 address. */
record ServerAddress(String host, int port) {

    static final int DEFAULT_PORT = DefaultPort.CMTP;
    static final ServerAddress DEFAULT = new ServerAddress("127.0.0.1", DEFAULT_PORT);

    static ServerAddress parse(String text) throws UsageException {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new UsageException("--server " + text + ": missing ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new UsageException("--server " + text + ": expected :PORT after ']'");
                }
                port = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (host.isBlank()) {
            throw new UsageException("--server " + text + ": no host");
        }
        if (port == null) {
            return new ServerAddress(host, DEFAULT_PORT);
        }
        try {
            int number = Integer.parseInt(port);
            if (number >= 1 && number <= 65535) {
                return new ServerAddress(host, number);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--server " + text + ": the port must be 1..65535");
    }

    InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
