package org.cmtp.wire;

/**
 * A crypto version CMTP does not define: a message version other than 0 or 1, or a reply
 * whose leading u32 does not fit the reply expected. Recoverable inside MAIL, where the
 * decoder skips the rest of the framed message; fatal in a reply.
 */
public final class BadVersionException extends ProtocolException {

    private final String field;
    private final long version;

    /** @param version the u32 as read, unsigned (0xFFFFFFFF is 4294967295) */
    public BadVersionException(String field, long version, boolean recoverable) {
        super(field + ": unsupported version " + version, recoverable);
        this.field = field;
        this.version = version;
    }

    /** @return where the version was read, e.g. "message version" */
    public String field() {
        return field;
    }

    /** @return the version read, as an unsigned 32-bit value */
    public long version() {
        return version;
    }
}
