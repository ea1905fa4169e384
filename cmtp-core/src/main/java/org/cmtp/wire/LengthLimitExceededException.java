package org.cmtp.wire;

/**
 * A length or count read from the wire is over the configured {@link ProtocolLimits}.
 * Reported as soon as the length is read, before anything is allocated for it. Never
 * recoverable: skipping the declared bytes would mean reading what the limit exists to
 * refuse, so the server answers at once and closes (PROTOCOL.md §6).
 */
public final class LengthLimitExceededException extends ProtocolException {

    private final String field;
    private final long declared;
    private final long limit;

    /**
     * @param declared the value read from the wire, as an <em>unsigned</em> 64-bit number
     *                 (a u64 of 2^63 or more is huge, not negative)
     */
    public LengthLimitExceededException(String field, long declared, long limit) {
        super(field + ": " + Long.toUnsignedString(declared) + " over the limit of " + limit, false);
        this.field = field;
        this.declared = declared;
        this.limit = limit;
    }

    /** @return the field whose length was declared, e.g. "body" or "attachment count" */
    public String field() {
        return field;
    }

    /** @return the declared value; compare with {@link Long#compareUnsigned} */
    public long declared() {
        return declared;
    }

    /** @return the limit it exceeds */
    public long limit() {
        return limit;
    }
}
