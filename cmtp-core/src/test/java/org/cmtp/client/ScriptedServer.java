package org.cmtp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.cmtp.protocol.Command;
import org.cmtp.protocol.CommandDecoder;
import org.cmtp.wire.ProtocolException;

/**
 * A CMTP server on the loopback interface whose answers a test scripts: a banner, then for
 * each decoded command the bytes {@code answer} returns (null closes the connection). Each
 * connection on a daemon thread of its own. Records the commands it received.
 */
public final class ScriptedServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Function<Command, byte[]> answer;
    public final List<Command> received = new CopyOnWriteArrayList<>();

    public ScriptedServer(Function<Command, byte[]> answer) throws IOException {
        this.answer = answer;
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread thread = new Thread(this::serve, "scripted-cmtp-server");
        thread.setDaemon(true);
        thread.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    private void serve() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread thread = new Thread(() -> {
                    try (socket) {
                        converse(socket);
                    } catch (IOException | ProtocolException e) {
                        // the connection ends
                    }
                }, "scripted-cmtp-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                // closed, or the next connection
            }
        }
    }

    private void converse(Socket socket) throws IOException, ProtocolException {
        OutputStream out = socket.getOutputStream();
        out.write("Welcome to a scripted CMTP\n\0".getBytes(StandardCharsets.UTF_8));
        out.flush();
        CommandDecoder decoder = new CommandDecoder();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            int read = in.read(buffer);
            if (read < 0) {
                return;
            }
            decoder.feed(buffer, 0, read);
            for (Optional<Command> command = decoder.next(); command.isPresent(); command = decoder.next()) {
                received.add(command.get());
                byte[] reply = answer.apply(command.get());
                if (reply == null) {
                    return;
                }
                out.write(reply);
                out.flush();
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
