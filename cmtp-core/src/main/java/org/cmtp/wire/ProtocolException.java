package org.cmtp.wire;

/**
 * A peer sent bytes that break the CMTP wire format (PROTOCOL.md).
 *
 * <p>Checked on purpose: every caller that parses network input has to decide what to
 * answer and whether the session survives, and the compiler should make it think about
 * that. Each subclass names one kind of problem; none of them is ever thrown for a
 * programming error (those are {@link IllegalArgumentException}s).
 *
 * <p>{@link #isRecoverable()} says whether the decoder that reported the problem has
 * already consumed exactly the bad item (and nothing more), so that the next byte of the
 * stream starts the next command: the server then answers signed {@code FAILURE} and keeps
 * the session. When it is {@code false} the stream cannot be resynchronised and the server
 * replies at once and closes. For values decoded from a complete byte array (a stored
 * message, a plaintext body) there is no stream to resynchronise, and the flag only tells
 * how the same problem would have been treated on the wire.
 */
public abstract class ProtocolException extends Exception {

    private final boolean recoverable;

    protected ProtocolException(String message, boolean recoverable) {
        super(message);
        this.recoverable = recoverable;
    }

    /** @return true when the stream is positioned at the start of the next command */
    public final boolean isRecoverable() {
        return recoverable;
    }
}
