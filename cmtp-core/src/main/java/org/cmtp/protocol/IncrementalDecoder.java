package org.cmtp.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;

import org.cmtp.wire.ProtocolException;

/**
 * What both sides' stream decoders share: bytes go in by {@link #feed} however the stream is
 * split, are parsed eagerly into complete items (commands or replies) and errors, queued in
 * stream order, and handed out by {@link #next}, which throws the errors. So what
 * {@code next} yields depends only on the bytes, never on how they were split. After a
 * fatal error the decoder is broken and ignores all further input.
 *
 * <p>A subclass supplies {@link #step}, which consumes some input and {@link #emit}s what it
 * completed; a {@link ProtocolException} thrown from it is fatal. One decoder per
 * connection; not thread-safe.
 *
 * @param <T> what the decoder yields: {@link Command} or {@link Reply}
 */
public abstract sealed class IncrementalDecoder<T> permits CommandDecoder, ReplyDecoder {

    private final Class<T> itemType;
    /** Complete items and errors, in stream order, not yet handed out by {@link #next}. */
    private final ArrayDeque<Object> decoded = new ArrayDeque<>();
    private boolean broken;

    IncrementalDecoder(Class<T> itemType) {
        this.itemType = itemType;
    }

    /** Consumes all of {@code in}, queueing every item or error it completes. Never throws. */
    public final void feed(ByteBuffer in) {
        try {
            while (in.hasRemaining() && !broken) {
                step(in);
            }
        } catch (ProtocolException fatal) {
            decoded.add(fatal);
            breakDown();
        }
        if (broken) {
            in.position(in.limit());
        }
    }

    /** Consumes {@code length} bytes of {@code bytes} from {@code offset}. */
    public final void feed(byte[] bytes, int offset, int length) {
        feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Consumes all of {@code bytes}. */
    public final void feed(byte[] bytes) {
        feed(ByteBuffer.wrap(bytes));
    }

    /**
     * @return the next complete item, or empty if more input is needed
     * @throws ProtocolException the next error in the stream
     */
    public Optional<T> next() throws ProtocolException {
        Object item = decoded.poll();
        if (item instanceof ProtocolException error) {
            throw error;
        }
        return Optional.ofNullable(itemType.cast(item));
    }

    /** @return true after a fatal error (or a stream that ended inside an item): input is ignored */
    public final boolean isBroken() {
        return broken;
    }

    /** Consumes some of {@code in} (at least one byte, or moves to a state that will). */
    abstract void step(ByteBuffer in) throws ProtocolException;

    /** Queues a complete item, or a recoverable error, after those already queued. */
    final void emit(Object itemOrError) {
        decoded.add(itemOrError);
    }

    /** From now on all input is ignored; a subclass also drops what it buffered. */
    void breakDown() {
        broken = true;
    }
}
