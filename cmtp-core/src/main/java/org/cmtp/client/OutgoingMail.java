package org.cmtp.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.wire.InvalidAddressException;

/**
 * A mail as an application writes it: one sender, one or more recipients, and what each of
 * them will read. {@link MailSender} turns it into one sealed message per recipient.
 *
 * @param from the sender, an account of the home server
 * @param to the recipients, each of whom gets a message of their own
 * @param subject the subject line (at most 255 UTF-8 bytes)
 * @param text the text of the mail
 * @param replyTo where replies should go; empty means the sender
 * @param carbonCopies the other recipients named in each message (they are sent nothing
 *                     unless they are also in {@code to})
 * @param attachments files sent with the mail
 */
public record OutgoingMail(MailAddress from, List<MailAddress> to, String subject, String text, String replyTo,
                           List<MailAddress> carbonCopies, List<Attachment> attachments) {

    /** @throws IllegalArgumentException if an address is not a valid mailbox or there is no recipient */
    public OutgoingMail {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        replyTo = replyTo == null ? "" : replyTo;
        to = List.copyOf(to);
        carbonCopies = List.copyOf(carbonCopies);
        attachments = List.copyOf(attachments);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a mail needs at least one recipient");
        }
        requireMailbox("sender", from);
        for (MailAddress recipient : to) {
            requireMailbox("recipient", recipient);
        }
        for (MailAddress copy : carbonCopies) {
            requireMailbox("carbon copy", copy);
        }
    }

    /** @return the Reply-To field as sent: {@link #replyTo()}, or the sender when empty */
    public String effectiveReplyTo() {
        return replyTo.isEmpty() ? from.toString() : replyTo;
    }

    public static Builder from(MailAddress sender) {
        return new Builder(sender);
    }

    private static void requireMailbox(String role, MailAddress address) {
        Objects.requireNonNull(address, role);
        try {
            address.validate();
        } catch (InvalidAddressException e) {
            throw new IllegalArgumentException(role + " " + address + ": " + e.getMessage(), e);
        }
    }

    /** Builds an {@link OutgoingMail} step by step. */
    public static final class Builder {
        private final MailAddress from;
        private final List<MailAddress> to = new ArrayList<>();
        private final List<MailAddress> carbonCopies = new ArrayList<>();
        private final List<Attachment> attachments = new ArrayList<>();
        private String subject = "";
        private String text = "";
        private String replyTo = "";

        private Builder(MailAddress from) {
            this.from = from;
        }

        public Builder to(MailAddress... recipients) {
            to.addAll(List.of(recipients));
            return this;
        }

        public Builder to(List<MailAddress> recipients) {
            to.addAll(recipients);
            return this;
        }

        public Builder subject(String value) {
            subject = value;
            return this;
        }

        public Builder text(String value) {
            text = value;
            return this;
        }

        public Builder replyTo(String value) {
            replyTo = value;
            return this;
        }

        public Builder carbonCopy(MailAddress... copies) {
            carbonCopies.addAll(List.of(copies));
            return this;
        }

        public Builder attach(Attachment... files) {
            attachments.addAll(List.of(files));
            return this;
        }

        public OutgoingMail build() {
            return new OutgoingMail(from, to, subject, text, replyTo, carbonCopies, attachments);
        }
    }
}
