package org.cmtp.ra.inbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The replies of one session on their way to the client, and how long the session has been
 * stuck handing them to the socket (for the listener's write watchdog, {@code cmtp.write-timeout}).
 *
 * <p>How the unsent replies stay bounded: a session does one thing at a time on its one
 * thread: read, answer, write. Replies collect here; once they exceed {@link #PENDING_LIMIT}
 * they are written to the socket before the next command is even answered, and the socket
 * is read again only after every reply so far has been written. A blocking socket write
 * returns only once the kernel has taken the bytes, and the kernel's send buffer of the
 * connection is fixed small ({@link CmtpSession#SEND_BUFFER_BYTES}). So a client that sends
 * commands without reading the replies holds at most {@code PENDING_LIMIT} plus one reply
 * (under 300 bytes) of heap and one send buffer of kernel memory; then its session blocks in
 * the write, reads no more commands, and the watchdog closes it after the write timeout.
 */
final class ReplyWriter {

    static final int PENDING_LIMIT = 8 * 1024;

    private final OutputStream socket;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(PENDING_LIMIT + 512);
    /** {@link System#nanoTime()} when the write to the socket in progress began; 0 when none is. */
    private volatile long writingSince;

    ReplyWriter(OutputStream socket) {
        this.socket = socket;
    }

    /** Queues one encoded reply; writes the queue out first thing if it has grown past the limit. */
    void send(byte[] reply) throws IOException {
        pending.writeBytes(reply);
        if (pending.size() > PENDING_LIMIT) {
            flush();
        }
    }

    /** Writes every queued reply to the socket, blocking while the client does not read. */
    void flush() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        writingSince = startTime();
        try {
            pending.writeTo(socket);
            socket.flush();
        } finally {
            writingSince = 0;
            pending.reset();
        }
    }

    /** How long the write in progress has been blocked at {@code nowNanos}; 0 when no write is in progress. */
    long writingForNanos(long nowNanos) {
        long since = writingSince;
        return since == 0 ? 0 : nowNanos - since;
    }

    private static long startTime() {
        long now = System.nanoTime();
        return now == 0 ? 1 : now; // 0 means "not writing"
    }
}
