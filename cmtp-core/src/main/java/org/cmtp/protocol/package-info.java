/**
 * CMTP commands, replies and the incremental wire codec (PROTOCOL.md §1, §3–§6).
 *
 * <ul>
 * <li>{@link org.cmtp.protocol.Command} and {@link org.cmtp.protocol.Reply}: immutable
 *     values; any value that can be constructed encodes to bytes that decode back to an
 *     equal value.</li>
 * <li>{@link org.cmtp.protocol.CommandEncoder} / {@link org.cmtp.protocol.CommandDecoder}:
 *     client and server side of the command stream; {@link org.cmtp.protocol.ReplyEncoder} /
 *     {@link org.cmtp.protocol.ReplyDecoder}: server and client side of the reply stream.
 *     The decoders are state machines fed arbitrary pieces of a stream; their class comments
 *     say how to drive them and which errors leave the stream usable.</li>
 * <li>{@link org.cmtp.wire.ProtocolException} and its subclasses: one checked type per
 *     problem a peer can cause, each saying whether the stream can be resynchronised.</li>
 * <li>{@link org.cmtp.wire.ProtocolLimits}: the bounds checked on every length read
 *     from the wire, before anything is allocated for it.</li>
 * </ul>
 *
 * <p>No cryptography happens here: keys and signatures are opaque byte arrays, and
 * {@link org.cmtp.protocol.SignedStatus#bytesToSign} only says which bytes the crypto layer
 * signs. The message format itself lives in {@link org.cmtp.message}; the two packages
 * depend on each other (a MAIL command carries a message, and messages are decoded with
 * this package's limits and errors), which is why they are shipped in one jar.
 */
package org.cmtp.protocol;

import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
