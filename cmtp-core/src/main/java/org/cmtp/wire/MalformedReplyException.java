package org.cmtp.wire;

/**
 * A server reply that does not have the shape the client expects: an unknown status word,
 * a missing {@code \0} separator, a text reply without its final newline, or bytes
 * arriving when no reply is awaited. Never recoverable: a client that cannot parse its
 * server's replies closes the session.
 */
public final class MalformedReplyException extends ProtocolException {

    public MalformedReplyException(String reason) {
        super("malformed reply: " + reason, false);
    }
}
