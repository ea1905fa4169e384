package org.cmtp.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.wire.TruncatedInputException;

/**
 * Runs decoders over a stream cut into given pieces and records what comes out, in order:
 * each command or reply, and each error as a {@link Failure} (its type, message and
 * recoverability), ending with what {@code finish()} says. Two runs over the same bytes
 * must record the same events however the bytes were cut. Any exception that is not a
 * {@link ProtocolException} escapes and fails the test.
 */
final class Decoding {

    /** An error as the caller of {@code next()} or {@code finish()} sees it. */
    record Failure(Class<? extends ProtocolException> type, String message, boolean recoverable) {

        static Failure of(ProtocolException e) {
            return new Failure(e.getClass(), e.getMessage(), e.isRecoverable());
        }
    }

    private Decoding() {
    }

    static List<Object> commands(byte[] stream) {
        return commands(stream, ProtocolLimits.DEFAULTS, new int[] {stream.length});
    }

    static List<Object> commandsSplitAt(byte[] stream, int position) {
        return commands(stream, ProtocolLimits.DEFAULTS, new int[] {position, stream.length - position});
    }

    static List<Object> commandsByteByByte(byte[] stream) {
        int[] ones = new int[stream.length];
        Arrays.fill(ones, 1);
        return commands(stream, ProtocolLimits.DEFAULTS, ones);
    }

    /** Feeds {@code stream} in pieces of the given sizes (the last piece takes the rest). */
    static List<Object> commands(byte[] stream, ProtocolLimits limits, int[] pieces) {
        CommandDecoder decoder = new CommandDecoder(limits);
        List<Object> events = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < pieces.length && offset < stream.length; i++) {
            int length = i == pieces.length - 1 ? stream.length - offset : Math.min(pieces[i], stream.length - offset);
            decoder.feed(stream, offset, length);
            offset += length;
            drainCommands(decoder, events);
        }
        try {
            decoder.finish();
        } catch (TruncatedInputException e) {
            events.add(Failure.of(e));
        }
        return events;
    }

    static void drainCommands(CommandDecoder decoder, List<Object> events) {
        while (true) {
            try {
                Optional<Command> command = decoder.next();
                if (command.isEmpty()) {
                    return;
                }
                events.add(command.get());
            } catch (ProtocolException e) {
                events.add(Failure.of(e));
            }
        }
    }

    static List<Object> replies(byte[] stream, List<ReplyKind> kinds) {
        return replies(stream, kinds, ProtocolLimits.DEFAULTS, new int[] {stream.length});
    }

    static List<Object> repliesSplitAt(byte[] stream, List<ReplyKind> kinds, int position) {
        return replies(stream, kinds, ProtocolLimits.DEFAULTS, new int[] {position, stream.length - position});
    }

    static List<Object> repliesByteByByte(byte[] stream, List<ReplyKind> kinds) {
        int[] ones = new int[stream.length];
        Arrays.fill(ones, 1);
        return replies(stream, kinds, ProtocolLimits.DEFAULTS, ones);
    }

    /** Awaits {@code kinds} in order, then feeds {@code stream} in pieces as {@link #commands} does. */
    static List<Object> replies(byte[] stream, List<ReplyKind> kinds, ProtocolLimits limits, int[] pieces) {
        ReplyDecoder decoder = new ReplyDecoder(limits);
        kinds.forEach(decoder::expect);
        List<Object> events = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < pieces.length && offset < stream.length; i++) {
            int length = i == pieces.length - 1 ? stream.length - offset : Math.min(pieces[i], stream.length - offset);
            decoder.feed(stream, offset, length);
            offset += length;
            drainReplies(decoder, events);
        }
        try {
            decoder.finish();
        } catch (TruncatedInputException e) {
            events.add(Failure.of(e));
        }
        return events;
    }

    static void drainReplies(ReplyDecoder decoder, List<Object> events) {
        while (true) {
            try {
                Optional<Reply> reply = decoder.next();
                if (reply.isEmpty()) {
                    return;
                }
                events.add(reply.get());
            } catch (ProtocolException e) {
                events.add(Failure.of(e));
            }
        }
    }
}
