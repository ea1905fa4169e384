package org.cmtp.protocol;

/**
 * A server's answer to one command (PROTOCOL.md §1, §3–§6). Which kinds may answer which
 * command is {@link ReplyKind}'s business; signatures are opaque 64-byte values here, made
 * and checked by the crypto layer.
 */
public sealed interface Reply permits TextReply, KeyReply, SignedStatus, LoginReply {
}
