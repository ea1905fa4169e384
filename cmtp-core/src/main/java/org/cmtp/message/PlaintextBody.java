package org.cmtp.message;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.WireString;

/**
 * What a sealed body holds once opened, and what a version-0 body holds in the clear
 * (PROTOCOL.md §6): {@code Reply-To ‖ Subject ‖ Date ‖ (account ‖ domain)* ‖ \0 ‖ text},
 * every field but the text a wire string. The carbon-copy list ends with an empty account,
 * which is why carbon-copy accounts may not be empty; with no carbon copies the date is
 * followed by {@code \0\0}. The text runs to the end of the body.
 *
 * @param replyTo where replies should go (free text, usually {@code account@domain}; may be empty)
 * @param subject the subject line
 * @param date ISO-8601 UTC, e.g. {@code 2026-11-28T16:00:00Z}; see {@link #formatDate}.
 *             Kept as sent: a reader shows what the sender wrote rather than failing on it
 * @param carbonCopies the other recipients the sender also wrote to (each got its own message)
 * @param text the mail itself
 */
public record PlaintextBody(String replyTo, String subject, String date, List<MailAddress> carbonCopies, String text) {

    /**
     * @throws IllegalArgumentException if a field cannot be a wire string or a carbon copy
     *                                  is not a valid mailbox (so encode and decode agree)
     */
    public PlaintextBody {
        WireString.encode("reply-to", replyTo);
        WireString.encode("subject", subject);
        WireString.encode("date", date);
        carbonCopies = List.copyOf(carbonCopies);
        for (MailAddress copy : carbonCopies) {
            requireMailbox(copy);
        }
        WireString.encodeUtf8("text", Objects.requireNonNull(text, "text"));
    }

    /** @return {@code instant} as this format's date: ISO-8601 UTC to the second */
    public static String formatDate(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** @return the wire form, to be sealed (version 1) or sent as the body (version 0) */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, WireString.encode("reply-to", replyTo));
        writeString(out, WireString.encode("subject", subject));
        writeString(out, WireString.encode("date", date));
        for (MailAddress copy : carbonCopies) {
            writeString(out, WireString.encode("carbon copy account", copy.account()));
            writeString(out, WireString.encode("carbon copy domain", copy.domain()));
        }
        out.write(0);
        out.writeBytes(WireString.encodeUtf8("text", text));
        return out.toByteArray();
    }

    /**
     * Decodes an opened body.
     *
     * @throws ProtocolException a string without {@code \0} (truncated, or over 255 bytes),
     *                           a field not UTF-8, or a carbon copy that is no valid mailbox
     */
    public static PlaintextBody decode(byte[] body) throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(body);
        String replyTo = WireString.read(in, "reply-to");
        String subject = WireString.read(in, "subject");
        String date = WireString.read(in, "date");
        List<MailAddress> carbonCopies = new ArrayList<>();
        for (String account = WireString.read(in, "carbon copy account"); !account.isEmpty();
                account = WireString.read(in, "carbon copy account")) {
            MailAddress copy = new MailAddress(account, WireString.read(in, "carbon copy domain"));
            copy.validate();
            carbonCopies.add(copy);
        }
        String text = WireString.decodeUtf8(body, in.position(), in.remaining(), "text");
        return new PlaintextBody(replyTo, subject, date, carbonCopies, text);
    }

    private static void writeString(ByteArrayOutputStream out, byte[] string) {
        out.writeBytes(string);
        out.write(0);
    }

    private static void requireMailbox(MailAddress address) {
        try {
            address.validate();
        } catch (InvalidAddressException e) {
            throw new IllegalArgumentException("carbon copy " + e.getMessage(), e);
        }
    }
}
