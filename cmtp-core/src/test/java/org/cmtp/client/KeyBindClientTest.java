package org.cmtp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Signatures;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.KeyBinding;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyEncoder;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.protocol.TextReply;
import org.junit.jupiter.api.Test;

/**
 * The client's side of address-bound key replies (PROTOCOL.md §4a) against scripted servers:
 * an honest one, an attacker on the path who replays a reply signed for another address, and
 * one who strips the capability line and answers the old way.
 */
class KeyBindClientTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Ed25519KeyPair server = Ed25519KeyPair.generate(RANDOM);
    private final Ed25519KeyPair bob = Ed25519KeyPair.generate(RANDOM);
    private final Ed25519KeyPair mallory = Ed25519KeyPair.generate(RANDOM);

    /** A KEYBIND server; {@code replay} answers KEYBIND for bob with the reply signed for mallory. */
    private byte[] answer(Command command, boolean advertise, boolean replay, boolean unbound) {
        Reply reply;
        if (command instanceof Command.Ohai) {
            reply = new TextReply("HAI!!! :3\nPOW 0\n" + (advertise ? "KEYBIND 1\n" : ""));
        } else if (command instanceof Command.KeyRequest request) {
            byte[] key = request.isForServer() ? server.publicKey() : bob.publicKey();
            reply = new KeyReply(key, Signatures.sign(server, key));
        } else if (command instanceof Command.KeyBind request) {
            if (unbound) {
                byte[] key = mallory.publicKey();
                reply = new KeyReply(key, Signatures.sign(server, key));
            } else if (request.isForServer()) {
                reply = KeyReply.bound(server.publicKey(), Signatures.sign(server, request.bytesToSign(server.publicKey())));
            } else if (request.user().equals("nobody")) {
                reply = new SignedStatus(StatusWord.KEYNOTAVAILABLE, Signatures.sign(server,
                        KeyBinding.statusBytesToSign(StatusWord.KEYNOTAVAILABLE, request.user(), request.domain())));
            } else if (replay) {
                Command.KeyBind asked = new Command.KeyBind("mallory", "evil.example");
                reply = KeyReply.bound(mallory.publicKey(), Signatures.sign(server, asked.bytesToSign(mallory.publicKey())));
            } else {
                reply = KeyReply.bound(bob.publicKey(), Signatures.sign(server, request.bytesToSign(bob.publicKey())));
            }
        } else {
            reply = new TextReply("Good bye\n");
        }
        return ReplyEncoder.encode(reply);
    }

    private ScriptedServer scripted(Function<Command, byte[]> answer) throws Exception {
        return new ScriptedServer(answer);
    }

    @Test
    void aServerAdvertisingKeyBindIsAskedWithKeyBindAndItsBoundReplyVerifies() throws Exception {
        try (ScriptedServer scripted = scripted(c -> answer(c, true, false, false));
             CmtpClient client = CmtpClient.connect(scripted.address(), TIMEOUT, TIMEOUT)) {
            byte[] key = client.serverKey();
            assertArrayEquals(bob.publicKey(), client.keyRequest("bob", "Example.ORG.", key).orElseThrow());
            assertTrue(client.usesKeyBind());
            assertInstanceOf(Command.Ohai.class, scripted.received.get(1), "OHAI first, to learn KEYBIND");
            assertInstanceOf(Command.KeyBind.class, scripted.received.get(2));
            assertEquals(Optional.empty(), client.keyRequest("nobody", "example.org", key), "a bound KEYNOTAVAILABLE");
            assertFalse(client.isBroken());
        }
    }

    @Test
    void aReplyReplayedFromAnotherAddressIsRefused() throws Exception {
        try (ScriptedServer scripted = scripted(c -> answer(c, true, true, false));
             CmtpClient client = CmtpClient.connect(scripted.address(), TIMEOUT, TIMEOUT)) {
            byte[] key = client.serverKey();
            InvalidSignatureException refused = assertThrows(InvalidSignatureException.class,
                    () -> client.keyRequest("bob", "example.org", key));
            assertTrue(refused.getMessage().contains("another address"), refused.getMessage());
            assertTrue(client.isBroken(), "a forged reply breaks the client");
        }
    }

    @Test
    void aServerKnownToBindCannotBeDowngradedByStrippingOhai() throws Exception {
        // the attacker strips "KEYBIND 1" from OHAI and answers with an unbound (version-1) reply
        try (ScriptedServer scripted = scripted(c -> answer(c, false, false, true));
             CmtpClient client = CmtpClient.connect(scripted.address(), TIMEOUT, TIMEOUT)) {
            client.requireKeyBind(); // remembered from an earlier conversation
            assertThrows(MalformedServerReplyException.class, client::serverKey,
                    "KEYBIND\\0\\0 answered with a version-1 reply is refused");
        }
        try (ScriptedServer scripted = scripted(c -> answer(c, false, false, true));
             CmtpClient client = CmtpClient.connect(scripted.address(), TIMEOUT, TIMEOUT)) {
            byte[] key = server.publicKey();
            client.requireKeyBind();
            assertThrows(MalformedServerReplyException.class, () -> client.keyRequest("bob", "example.org", key));
            assertFalse(scripted.received.stream().anyMatch(Command.KeyRequest.class::isInstance),
                    "never asked with KEYREQUEST");
        }
    }

    @Test
    void aServerWithoutKeyBindIsStillAskedWithKeyRequest() throws Exception {
        try (ScriptedServer scripted = scripted(c -> answer(c, false, false, false));
             CmtpClient client = CmtpClient.connect(scripted.address(), TIMEOUT, TIMEOUT)) {
            byte[] key = client.serverKey();
            assertArrayEquals(bob.publicKey(), client.keyRequest("bob", "example.org", key).orElseThrow());
            assertFalse(client.usesKeyBind());
            assertInstanceOf(Command.KeyRequest.class, scripted.received.get(scripted.received.size() - 1));
        }
    }
}
