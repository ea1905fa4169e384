package org.cmtp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import org.cmtp.crypto.DecryptionFailedException;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.junit.jupiter.api.Test;

/** Building and sealing a message, then opening it as the recipient would. */
class MailSenderTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MailAddress ALICE = new MailAddress("alice", "example.org");
    private static final MailAddress BOB = new MailAddress("bob", "example.net");
    private static final Instant DATE = Instant.parse("2026-11-28T16:00:00.750Z");

    private static OutgoingMail mail() {
        return OutgoingMail.from(ALICE).to(BOB)
                .subject("Grüße")
                .text("Hello Bob,\nsee the attachments.\n")
                .carbonCopy(new MailAddress("carol", "example.com"))
                .attach(new Attachment("notes.txt", "some notes".getBytes(StandardCharsets.UTF_8)),
                        new Attachment("empty.bin", new byte[0]))
                .build();
    }

    @Test
    void aSealedMessageOpensWithTheRecipientsKeysToWhatWasWritten() throws Exception {
        Ed25519KeyPair bob = Ed25519KeyPair.generate(RANDOM);
        Message message = MailSender.seal(mail(), BOB, bob.publicKey(), DATE);

        assertEquals(Message.SEALED, message.version());
        assertEquals(BOB, message.destination());
        assertEquals(ALICE, message.source());
        assertEquals("", message.log());
        assertEquals(2, message.attachmentCount());

        ReceivedMail opened = ReceivedMail.open(message.encode(), bob);
        assertEquals("Grüße", opened.body().subject());
        assertEquals("Hello Bob,\nsee the attachments.\n", opened.body().text());
        assertEquals("alice@example.org", opened.body().replyTo(), "Reply-To defaults to the sender");
        assertEquals("2026-11-28T16:00:00Z", opened.body().date(), "ISO-8601 UTC to the second");
        assertEquals(List.of(new MailAddress("carol", "example.com")), opened.body().carbonCopies());
        assertEquals(mail().attachments(), opened.attachments());
    }

    @Test
    void bodyAndAttachmentsAreSealedNotInTheClear() throws Exception {
        Ed25519KeyPair bob = Ed25519KeyPair.generate(RANDOM);
        byte[] raw = MailSender.seal(mail(), BOB, bob.publicKey(), DATE).encode();
        String wire = new String(raw, StandardCharsets.ISO_8859_1);
        assertEquals(-1, wire.indexOf("see the attachments"));
        assertEquals(-1, wire.indexOf("notes.txt"));
        assertEquals(-1, wire.indexOf("some notes"));
    }

    @Test
    void onlyTheRecipientCanOpenIt() {
        Ed25519KeyPair bob = Ed25519KeyPair.generate(RANDOM);
        Ed25519KeyPair mallory = Ed25519KeyPair.generate(RANDOM);
        byte[] raw = MailSender.seal(mail(), BOB, bob.publicKey(), DATE).encode();
        assertThrows(DecryptionFailedException.class, () -> ReceivedMail.open(raw, mallory));
    }

    @Test
    void eachSealIsFresh() {
        Ed25519KeyPair bob = Ed25519KeyPair.generate(RANDOM);
        byte[] first = MailSender.seal(mail(), BOB, bob.publicKey(), DATE).encode();
        byte[] second = MailSender.seal(mail(), BOB, bob.publicKey(), DATE).encode();
        assertEquals(first.length, second.length);
        assertNotEquals(List.of(first), List.of(second));
    }

    @Test
    void anExplicitReplyToIsKept() throws Exception {
        Ed25519KeyPair bob = Ed25519KeyPair.generate(RANDOM);
        OutgoingMail mail = OutgoingMail.from(ALICE).to(BOB).subject("s").text("t").replyTo("team@example.org").build();
        assertEquals("team@example.org",
                ReceivedMail.open(MailSender.seal(mail, BOB, bob.publicKey(), DATE).encode(), bob).body().replyTo());
    }

    @Test
    void aMailNeedsValidAddressesAndARecipient() {
        assertThrows(IllegalArgumentException.class, () -> OutgoingMail.from(ALICE).subject("s").build());
        assertThrows(IllegalArgumentException.class,
                () -> OutgoingMail.from(ALICE).to(new MailAddress("", "example.org")).build());
        assertThrows(IllegalArgumentException.class,
                () -> OutgoingMail.from(new MailAddress("a/b", "example.org")).to(BOB).build());
        assertThrows(IllegalArgumentException.class,
                () -> OutgoingMail.from(ALICE).to(BOB).carbonCopy(new MailAddress("x", "..")).build());
    }

    @Test
    void receiptsCompareByValueAndVerifyTheirSignature() {
        Ed25519KeyPair server = Ed25519KeyPair.generate(RANDOM);
        byte[] hash = new byte[64];
        byte[] signature = org.cmtp.crypto.Signatures.sign(server,
                org.cmtp.protocol.SignedStatus.bytesToSign(org.cmtp.protocol.StatusWord.SUCCESS, hash));
        Receipt receipt = new Receipt(BOB, org.cmtp.protocol.StatusWord.SUCCESS, hash, signature);
        assertEquals(receipt, new Receipt(BOB, org.cmtp.protocol.StatusWord.SUCCESS, hash.clone(), signature.clone()));
        assertEquals(true, receipt.verify(server.publicKey()));
        assertEquals(false, receipt.verify(Ed25519KeyPair.generate(RANDOM).publicKey()));
        assertArrayEquals(hash, receipt.messageHash());
    }

    @Test
    void aPlaintextMessageCarriesTheSameBodyAndAttachmentsInTheClear() throws Exception {
        Message message = MailSender.plaintext(mail(), BOB, DATE);
        assertEquals(Message.PLAINTEXT, message.version());
        assertEquals(BOB, message.destination());
        assertEquals(ALICE, message.source());
        org.cmtp.message.PlaintextBody body = org.cmtp.message.PlaintextBody.decode(message.body());
        assertEquals(MailSender.body(mail(), DATE), body);
        assertEquals(mail().attachments(), List.of(Attachment.decode(message.attachment(0)),
                Attachment.decode(message.attachment(1))));
    }

    /**
     * Against a scripted home server that knows bob's key and no other: without plaintext the
     * keyless recipient gets nothing; with it, a version-0 message, while bob's stays sealed.
     */
    @Test
    void plaintextOnlyForTheRecipientsWithoutAKeyAndOnlyWhenAsked() throws Exception {
        Ed25519KeyPair server = Ed25519KeyPair.generate(RANDOM);
        Ed25519KeyPair bob = Ed25519KeyPair.generate(RANDOM);
        MailAddress dave = new MailAddress("dave", "smtp-only.example");
        java.util.function.Function<org.cmtp.protocol.Command, byte[]> answer = command -> {
            org.cmtp.protocol.Reply reply;
            if (command instanceof org.cmtp.protocol.Command.KeyRequest request) {
                reply = request.isForServer() ? new org.cmtp.protocol.KeyReply(server.publicKey(),
                        org.cmtp.crypto.Signatures.sign(server, server.publicKey()))
                        : request.user().equals("bob") ? new org.cmtp.protocol.KeyReply(bob.publicKey(),
                        org.cmtp.crypto.Signatures.sign(server, bob.publicKey()))
                        : signed(server, org.cmtp.protocol.StatusWord.KEYNOTAVAILABLE, new byte[0]);
            } else if (command instanceof org.cmtp.protocol.Command.Mail mail) {
                reply = signed(server, org.cmtp.protocol.StatusWord.SUCCESS,
                        org.cmtp.crypto.Blake2b.hash512(mail.rawMessage()));
            } else {
                reply = new org.cmtp.protocol.TextReply("HAI!!! :3\n");
            }
            return org.cmtp.protocol.ReplyEncoder.encode(reply);
        };
        OutgoingMail mail = OutgoingMail.from(ALICE).to(dave, BOB).subject("s").text("t").build();
        try (ScriptedServer home = new ScriptedServer(answer);
             CmtpClient client = CmtpClient.connect(home.address(), java.time.Duration.ofSeconds(5),
                     java.time.Duration.ofSeconds(5))) {
            MailSender sender = new MailSender(client, server.publicKey(), java.time.Clock.systemUTC());
            List<MailSender.RecipientKey> keys = sender.keys(mail);
            assertEquals(List.of(true, false), keys.stream().map(MailSender.RecipientKey::withoutKey).toList());

            List<Receipt> sealedOnly = sender.send(mail, keys, false);
            assertEquals(org.cmtp.protocol.StatusWord.KEYNOTAVAILABLE, sealedOnly.get(0).status());
            assertEquals(org.cmtp.protocol.StatusWord.SUCCESS, sealedOnly.get(1).status());
            assertEquals(List.of(Message.SEALED), mailed(home));

            home.received.clear();
            List<Receipt> withPlaintext = sender.send(mail, keys, true);
            assertEquals(List.of(true, true), withPlaintext.stream().map(Receipt::delivered).toList());
            assertEquals(List.of(Message.PLAINTEXT, Message.SEALED), mailed(home));
        }
    }

    private static org.cmtp.protocol.SignedStatus signed(Ed25519KeyPair server, org.cmtp.protocol.StatusWord word,
            byte[] context) {
        return new org.cmtp.protocol.SignedStatus(word,
                org.cmtp.crypto.Signatures.sign(server, org.cmtp.protocol.SignedStatus.bytesToSign(word, context)));
    }

    /** The crypto versions of the messages the scripted server received, in order. */
    private static List<Integer> mailed(ScriptedServer home) throws Exception {
        List<Integer> versions = new java.util.ArrayList<>();
        for (org.cmtp.protocol.Command command : home.received) {
            if (command instanceof org.cmtp.protocol.Command.Mail mail) {
                versions.add(Message.decode(mail.rawMessage()).version());
            }
        }
        return versions;
    }
}
