package org.cmtp.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.cmtp.sodium.Libsodium;

/**
 * Another domain's "CMTP server" that a relaying server talks to, scripted to hang it: a
 * plain {@link ServerSocket} on a loopback address, each connection on its own thread.
 * It greets, hands out a self-signed key (signed with libsodium) and answers OHAI, as a real
 * server would, and then misbehaves in the way its {@link Behaviour} says.
 */
public final class HostileRemoteServer implements AutoCloseable {

    /** How the server misbehaves. */
    public enum Behaviour {
        /** Answers OHAI with {@code POW 512}: a proof of work nobody can compute. */
        POW_512,
        /** Sends its banner one byte every two seconds, for ever (well within any read timeout). */
        TRICKLE,
        /** Answers OHAI and the key request, then never reads again: TCP's window closes on the sender. */
        ZERO_WINDOW
    }

    private final Behaviour behaviour;
    private final ServerSocket listener;
    private final byte[] publicKey;
    private final byte[] secretKey;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private HostileRemoteServer(Behaviour behaviour, InetSocketAddress address) throws IOException {
        this.behaviour = behaviour;
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        byte[][] keys = Libsodium.signSeedKeypair(seed);
        publicKey = keys[0];
        secretKey = keys[1];
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        if (behaviour == Behaviour.ZERO_WINDOW) {
            listener.setReceiveBufferSize(4096); // inherited by accepted sockets: a tiny window, soon zero
        }
        listener.bind(address);
        Thread acceptor = new Thread(this::accept, "hostile-" + behaviour);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts listening on {@code host:port} (a loopback address). */
    public static HostileRemoteServer start(Behaviour behaviour, String host, int port) throws IOException {
        return new HostileRemoteServer(behaviour, new InetSocketAddress(InetAddress.getByName(host), port));
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** The command words received so far, in order, over all connections. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread conversation = new Thread(() -> converse(socket), "hostile-" + behaviour + "-connection");
                conversation.setDaemon(true);
                conversation.start();
            } catch (IOException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    private void converse(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            if (behaviour == Behaviour.TRICKLE) {
                trickle(out);
                return;
            }
            out.write(text("Welcome to CMTP version 1\n"));
            out.flush();
            while (!closed) {
                String command = readString(in);
                if (command == null) {
                    return;
                }
                commands.add(command);
                switch (command) {
                    case "OHAI" -> out.write(text("HAI!!! :3\n" + (behaviour == Behaviour.POW_512 ? "POW 512\n" : "POW 0\n")
                            + "SIZE 104857600\n"));
                    case "KEYREQUEST" -> {
                        String user = readString(in);
                        if (user == null || !user.isEmpty()) {
                            return; // only the server key is ever asked for here
                        }
                        out.write(keyReply());
                    }
                    case "MAIL" -> {
                        // ZERO_WINDOW: stop reading; the sender's writes block once the buffers are full.
                        // POW_512: the relay should never get here.
                        while (!closed) {
                            Thread.sleep(1000);
                        }
                        return;
                    }
                    default -> {
                        return;
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            // the relaying server hung up: what it should do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void trickle(OutputStream out) throws IOException, InterruptedException {
        byte[] banner = ("Welcome to CMTP version 1, " + "slowly ".repeat(30)).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; !closed; i = (i + 1) % banner.length) {
            out.write(banner[i]);
            out.flush();
            Thread.sleep(2000);
        }
    }

    /** {@code u32 1 ‖ key ‖ \0 ‖ self-signature ‖ \0}. */
    private byte[] keyReply() {
        byte[] signature = Libsodium.signDetached(publicKey, secretKey);
        return ByteBuffer.allocate(102).putInt(1).put(publicKey).put((byte) 0).put(signature).put((byte) 0).array();
    }

    private static byte[] text(String text) {
        return (text + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes up to a NUL; null at the end of the stream. */
    private static String readString(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == 0) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
            if (bytes.size() > 300) {
                return "(too long)";
            }
            bytes.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
