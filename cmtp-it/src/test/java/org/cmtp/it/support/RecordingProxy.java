package org.cmtp.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy on loopback that forwards every connection to a target and records every byte
 * the clients send, so a test can say what crossed the wire (e.g. never a password).
 */
public final class RecordingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    public RecordingProxy(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        this.target = target;
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(listen);
        Thread accept = new Thread(this::accept, "recording-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** @return a copy of everything the clients have sent so far */
    public byte[] sent() {
        synchronized (sent) {
            return sent.toByteArray();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5000);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                // closed, or one connection failed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (record) {
                        synchronized (sent) {
                            sent.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }, "recording-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
