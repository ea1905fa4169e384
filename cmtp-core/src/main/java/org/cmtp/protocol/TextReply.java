package org.cmtp.protocol;

import java.util.List;
import java.util.Objects;

import org.cmtp.wire.WireString;

/**
 * A text reply: UTF-8 text ending in {@code \n}, then {@code \0} (PROTOCOL.md §1). The
 * banner and the answers to OHAI, NOOP, HELP and OBAI.
 *
 * @param text the text, including its final {@code \n}
 */
public record TextReply(String text) implements Reply {

    /** @throws IllegalArgumentException if the text lacks its final newline or has a NUL */
    public TextReply {
        Objects.requireNonNull(text, "text");
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a text reply ends with a newline");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a text reply cannot contain NUL, which ends it");
        }
        WireString.encodeUtf8("text reply", text);
    }

    /** @return the lines of the reply, without their newlines (e.g. OHAI capabilities) */
    public List<String> lines() {
        return text.lines().toList();
    }
}
