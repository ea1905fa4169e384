package org.cmtp.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;

/** jqwik generators of valid values: every one must survive encode and decode unchanged. */
public final class WireArbitraries {

    private WireArbitraries() {
    }

    /** Text of ASCII, Latin-1, CJK and an emoji (a surrogate pair), with no control characters. */
    public static Arbitrary<String> text(int maxChars) {
        Arbitrary<String> plain = Arbitraries.strings()
                .withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars(" .-_+'@!?\n").withCharRange('\u00e0', '\u00ff').withCharRange('\u4e00', '\u4e40')
                .ofMaxLength(maxChars);
        return Arbitraries.frequencyOf(
                Tuple.of(5, plain),
                Tuple.of(1, plain.map(s -> s + "\uD83C\uDF38")));
    }

    /** A valid account or domain name (§7). */
    public static Arbitrary<String> name() {
        return Arbitraries.strings()
                .withCharRange('a', 'z').withCharRange('0', '9').withChars(".-_+'").withCharRange('\u00e0', '\u00ff')
                .withCharRange('\u4e00', '\u4e40')
                .ofMinLength(1).ofMaxLength(30)
                .filter(s -> !s.contains(".."));
    }

    public static Arbitrary<MailAddress> mailbox() {
        return Combinators.combine(name(), name()).as(MailAddress::new);
    }

    /** A mailbox, or now and then a server (empty account). */
    public static Arbitrary<MailAddress> endpoint() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, mailbox()),
                Tuple.of(1, name().map(MailAddress::server)));
    }

    public static Arbitrary<byte[]> bytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    public static Arbitrary<Message> message() {
        Arbitrary<String> log = text(30).list().ofMaxSize(3)
                .map(lines -> String.join("", lines.stream().map(l -> l.replace('\n', ' ') + "\n").toList()));
        Arbitrary<List<byte[]>> attachments = bytes(40).list().ofMaxSize(4);
        return Combinators.combine(Arbitraries.of(Message.PLAINTEXT, Message.SEALED), endpoint(), endpoint(),
                log, bytes(100), attachments).as(Message::new);
    }

    public static Arbitrary<PlaintextBody> plaintextBody() {
        return Combinators.combine(text(40), text(60), Arbitraries.of("2026-11-28T16:00:00Z", ""),
                mailbox().list().ofMaxSize(3), text(200)).as(PlaintextBody::new);
    }

    /** A file name of at most 255 UTF-8 bytes: up to 60 characters of at most 4 bytes each. */
    public static Arbitrary<Attachment> attachment() {
        return Combinators.combine(text(60), bytes(60)).as(Attachment::new);
    }

    public static Arbitrary<Command> command() {
        return Arbitraries.oneOf(
                Arbitraries.of(new Command.Ohai(), new Command.Noop(), new Command.Help(), new Command.Obai(),
                        Command.KeyRequest.forServer()),
                Combinators.combine(name(), Arbitraries.oneOf(name(), Arbitraries.just(""))).as(Command.KeyRequest::new),
                name().map(Command.Login::new),
                Combinators.combine(message(), Arbitraries.bytes().array(byte[].class).ofSize(64)).as(Command.Mail::new),
                message().map(Command.Mail::new));
    }

    public static Arbitrary<Reply> reply() {
        Arbitrary<byte[]> signature = Arbitraries.bytes().array(byte[].class).ofSize(64);
        Arbitrary<byte[]> key = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<byte[]> xzibit = Combinators.combine(Arbitraries.integers().between(1, 5), bytes(120))
                .as((version, ciphertext) -> ByteBuffer.allocate(44 + ciphertext.length)
                        .putInt(version).put(new byte[32]).putLong(ciphertext.length).put(ciphertext).array());
        return Arbitraries.oneOf(
                text(80).map(t -> new TextReply(t + "\n")),
                Combinators.combine(key, signature).as(KeyReply::new),
                Combinators.combine(Arbitraries.of(StatusWord.class), signature).as(SignedStatus::new),
                Combinators.combine(xzibit, signature).as(LoginReply::new));
    }
}
