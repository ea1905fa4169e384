package org.cmtp.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;

import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.WireString;

/**
 * A command a client sends (PROTOCOL.md §1): a command word, {@code \0}, then the
 * command's parameters. Every value that can be constructed can be encoded and decodes
 * back to an equal value; invalid parameters are {@link IllegalArgumentException}s here and
 * typed {@link ProtocolException}s when they come off the wire.
 */
public sealed interface Command
        permits Command.Ohai, Command.Noop, Command.Help, Command.Obai,
                Command.KeyRequest, Command.KeyBind, Command.Login, Command.Mail {

    /** @return the command word, as sent before its {@code \0} */
    String word();

    /** The greeting; answered with a text reply that may list capabilities. */
    record Ohai() implements Command {
        @Override
        public String word() {
            return "OHAI";
        }
    }

    /** Does nothing; answered with a text reply (keeps a session alive). */
    record Noop() implements Command {
        @Override
        public String word() {
            return "NOOP";
        }
    }

    /** Asks for the list of commands, as a text reply. */
    record Help() implements Command {
        @Override
        public String word() {
            return "HELP";
        }
    }

    /** Ends the session: the server says good bye and closes. */
    record Obai() implements Command {
        @Override
        public String word() {
            return "OBAI";
        }
    }

    /**
     * Asks for a public key (PROTOCOL.md §4). An empty user asks for the server's own key,
     * and then no domain goes on the wire, so the domain is empty too. An empty domain with
     * a user means the server's own domain.
     */
    record KeyRequest(String user, String domain) implements Command {

        public KeyRequest {
            WireString.encode("KEYREQUEST user", user);
            WireString.encode("KEYREQUEST domain", domain);
            if (user.isEmpty() && !domain.isEmpty()) {
                throw new IllegalArgumentException("a KEYREQUEST for the server's key carries no domain");
            }
            try {
                validate(user, domain);
            } catch (InvalidAddressException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        /** @return the request for the server's own key, {@code KEYREQUEST\0\0} */
        public static KeyRequest forServer() {
            return new KeyRequest("", "");
        }

        /** @return the request for the key of {@code address}'s account */
        public static KeyRequest forUser(MailAddress address) {
            return new KeyRequest(address.account(), address.domain());
        }

        /** @return whether this asks for the server's own key */
        public boolean isForServer() {
            return user.isEmpty();
        }

        @Override
        public String word() {
            return "KEYREQUEST";
        }

        /** The rules a decoded request must meet; the same ones the constructor applies. */
        static void validate(String user, String domain) throws InvalidAddressException {
            MailAddress.validateAccountAllowingServer("KEYREQUEST user", user);
            if (!domain.isEmpty()) {
                MailAddress.validateName("KEYREQUEST domain", domain);
            }
        }
    }

    /**
     * Asks for a public key with an address-bound answer (PROTOCOL.md §4a, extension
     * {@code KEYBIND 1}): the same fields and rules as {@link KeyRequest}, answered with a
     * an address-bound {@link KeyReply} whose signature covers this question.
     */
    record KeyBind(String user, String domain) implements Command {

        public KeyBind {
            new KeyRequest(user, domain); // the same validation, with the same messages
        }

        /** @return the request for the server's own key, {@code KEYBIND\0\0} */
        public static KeyBind forServer() {
            return new KeyBind("", "");
        }

        /** @return whether this asks for the server's own key */
        public boolean isForServer() {
            return user.isEmpty();
        }

        /** @return the bytes the server signs in its answer carrying {@code publicKey} */
        public byte[] bytesToSign(byte[] publicKey) {
            return KeyBinding.bytesToSign(user, domain, publicKey);
        }

        @Override
        public String word() {
            return "KEYBIND";
        }
    }

    /** Asks for a user's xzibit, the password-protected key pair (PROTOCOL.md §5). */
    record Login(String user) implements Command {

        public Login {
            WireString.encode("LOGIN user", user);
            try {
                validate(user);
            } catch (InvalidAddressException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        @Override
        public String word() {
            return "LOGIN";
        }

        /** The rules a decoded request must meet; the same ones the constructor applies. */
        static void validate(String user) throws InvalidAddressException {
            MailAddress.validateName("LOGIN user", user);
        }
    }

    /**
     * Sends a message (PROTOCOL.md §6).
     *
     * @param message the message; it holds exactly the bytes the client sent (the wire
     *                form is canonical), which is what the server hashes for its receipt
     *                and stores, so the command keeps no second copy of them
     * @param proofOfWork the 64-byte field after the message (zeros when the server asks
     *                    for no work)
     */
    record Mail(Message message, byte[] proofOfWork) implements Command {

        /** Size of the proof-of-work field. */
        public static final int PROOF_OF_WORK_BYTES = 64;

        /** @throws IllegalArgumentException if the proof of work is not 64 bytes */
        public Mail {
            Objects.requireNonNull(message, "message");
            if (proofOfWork.length != PROOF_OF_WORK_BYTES) {
                throw new IllegalArgumentException("proof of work must be 64 bytes, not " + proofOfWork.length);
            }
            proofOfWork = proofOfWork.clone();
        }

        /** A MAIL of {@code message} for a server that asks for no proof of work. */
        public Mail(Message message) {
            this(message, new byte[PROOF_OF_WORK_BYTES]);
        }

        /** @return a copy of the message bytes as sent ({@link Message#encode()}) */
        public byte[] rawMessage() {
            return message.encode();
        }

        /** @return a copy of the proof-of-work field */
        @Override
        public byte[] proofOfWork() {
            return proofOfWork.clone();
        }

        @Override
        public String word() {
            return "MAIL";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mail other && message.equals(other.message)
                    && Arrays.equals(proofOfWork, other.proofOfWork);
        }

        @Override
        public int hashCode() {
            return 31 * message.hashCode() + Arrays.hashCode(proofOfWork);
        }

        @Override
        public String toString() {
            return "Mail[" + message + ", proof of work " + HexFormat.of().formatHex(proofOfWork, 0, 8) + "…]";
        }
    }
}
