package org.cmtp.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A CMTP connection at the byte level, for tests that check replies byte for byte:
 * write exactly these bytes, read exactly that many back.
 */
public final class RawCmtpConnection implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawCmtpConnection(String host, int port) throws IOException {
        this(connected(host, port));
    }

    /** Over a socket the test connected itself, e.g. from a chosen source address. */
    public RawCmtpConnection(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(15000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket connected(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        return socket;
    }

    public static RawCmtpConnection toServer() throws IOException {
        return new RawCmtpConnection(TestServer.host(), TestServer.cmtpPort());
    }

    /** Connects and reads the banner. */
    public static RawCmtpConnection greeted() throws IOException {
        RawCmtpConnection connection = toServer();
        connection.readText();
        return connection;
    }

    public RawCmtpConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawCmtpConnection send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one byte per TCP write: the server sees the stream split at every position. */
    public RawCmtpConnection sendByteByByte(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            out.write(b);
            out.flush();
        }
        return this;
    }

    public byte[] read(int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** A text reply, up to and including its NUL. */
    public String readText() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a text reply: " + text);
            }
            text.write(b);
            if (b == 0) {
                return text.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Reads until the server closes the connection; what came before the close. */
    public byte[] readUntilClosed() throws IOException {
        return in.readAllBytes();
    }

    /** Whether the server closed the connection within {@code millis}. */
    public boolean closedByServerWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            InputStream stream = socket.getInputStream();
            while (stream.read() >= 0) {
                // drain whatever is still in flight
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
