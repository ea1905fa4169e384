package org.cmtp.ra.inbound;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.cmtp.protocol.Command;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.SignedStatus;

/**
 * The replies of a listener that are the same for every client as long as the server key
 * is: the server's own key ({@code KEYREQUEST\0\0}, {@code KEYBIND\0\0}) and the signed
 * {@code FAILURE} to a bad command (its context is empty, PROTOCOL.md §3). Each is asked of
 * the endpoint and signed once, then sent from here: the cheapest requests an attacker can
 * repeat cost neither an Ed25519 signature nor an endpoint round trip. The server key does
 * not change while the listener runs (a new key means a new installation and start).
 */
final class ConstantReplies {

    /** The request for a signed FAILURE with an empty context: the answer to every bad command. */
    static final Object REFUSAL = new Object() {
        @Override
        public String toString() {
            return "FAILURE to a bad command";
        }
    };

    /** A few kinds of requests are constant (see {@link #isConstant}); this only guards the map. */
    private static final int MAX_REPLIES = 8;

    /** Where a reply comes from when it is not kept yet: the endpoint. */
    @FunctionalInterface
    interface Source {
        Reply get() throws IOException;
    }

    private final Map<Object, Reply> replies = new ConcurrentHashMap<>();

    /** Whether {@code request}'s reply is the same for every client, so that it may be kept. */
    static boolean isConstant(Object request) {
        return request == REFUSAL
                || request instanceof Command.KeyRequest keyRequest && keyRequest.isForServer()
                || request instanceof Command.KeyBind keyBind && keyBind.isForServer();
    }

    /** The reply to {@code request}: the kept one if it is constant and was asked before, else from {@code source}. */
    Reply reply(Object request, Source source) throws IOException {
        if (!isConstant(request)) {
            return source.get();
        }
        Reply kept = replies.get(request);
        if (kept != null) {
            return kept;
        }
        Reply fresh = source.get();
        if (worthKeeping(request, fresh) && replies.size() < MAX_REPLIES) {
            replies.putIfAbsent(request, fresh);
        }
        return fresh;
    }

    int size() {
        return replies.size();
    }

    /** A status to a key request is a failure that may pass (e.g. the database was down): asked again next time. */
    private static boolean worthKeeping(Object request, Reply reply) {
        return reply != null && (request == REFUSAL || !(reply instanceof SignedStatus));
    }
}
