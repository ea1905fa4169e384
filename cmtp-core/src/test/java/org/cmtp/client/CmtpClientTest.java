package org.cmtp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Signatures;
import org.cmtp.crypto.Xzibit;
import org.cmtp.message.MailAddress;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.LoginReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyEncoder;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.protocol.TextReply;
import org.junit.jupiter.api.Test;

import org.cmtp.protocol.ProofOfWork;

/** The client against a scripted server on the loopback interface: verification and the broken state. */
class CmtpClientTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Ed25519KeyPair serverKeys = Ed25519KeyPair.generate(RANDOM);
    private final Ed25519KeyPair bobKeys = Ed25519KeyPair.generate(RANDOM);
    private final Xzibit bobXzibit = Xzibit.create("pw".getBytes(StandardCharsets.UTF_8), bobKeys, RANDOM);

    /** An honest server with one account, bob; every reply signed by {@code signer}. */
    private byte[] honest(Command command, Ed25519KeyPair signer) {
        Reply reply;
        if (command instanceof Command.Ohai) {
            reply = new TextReply("HAI!!! :3\nSIZE 1000\nPOW 4\n");
        } else if (command instanceof Command.Noop) {
            reply = new TextReply("O_O\n");
        } else if (command instanceof Command.Obai) {
            reply = new TextReply("Good bye\n");
        } else if (command instanceof Command.KeyRequest request) {
            byte[] key = request.isForServer() ? signer.publicKey()
                    : request.user().equals("bob") ? bobKeys.publicKey() : null;
            reply = key != null ? new KeyReply(key, Signatures.sign(signer, key)) : status(signer, StatusWord.KEYNOTAVAILABLE, new byte[0]);
        } else if (command instanceof Command.Login login) {
            byte[] xzibit = bobXzibit.toBytes();
            reply = login.user().equals("bob") ? new LoginReply(xzibit, Signatures.sign(signer, xzibit))
                    : status(signer, StatusWord.FAILURE, new byte[0]);
        } else if (command instanceof Command.Mail mail) {
            reply = status(signer, StatusWord.SUCCESS, Blake2b.hash512(mail.rawMessage()));
        } else {
            reply = status(signer, StatusWord.FAILURE, new byte[0]);
        }
        return ReplyEncoder.encode(reply);
    }

    private static SignedStatus status(Ed25519KeyPair signer, StatusWord word, byte[] context) {
        return new SignedStatus(word, Signatures.sign(signer, SignedStatus.bytesToSign(word, context)));
    }

    private static byte[] rawMessage(String to) {
        return new org.cmtp.message.Message(1, new MailAddress(to, "example.org"), new MailAddress("alice", "example.org"),
                "", new byte[100], List.of()).encode();
    }

    @Test
    void talksToAnHonestServerAndVerifiesEveryReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> honest(c, serverKeys));
             CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
            assertEquals("Welcome to a scripted CMTP", client.banner());
            byte[] key = client.serverKey();
            assertArrayEquals(serverKeys.publicKey(), key);
            assertArrayEquals(bobKeys.publicKey(), client.keyRequest("bob", "example.org", key).orElseThrow());
            assertEquals(Optional.empty(), client.keyRequest("nobody", "example.org", key));
            assertEquals(bobKeys, client.login("bob", key).open("pw".getBytes(StandardCharsets.UTF_8)));
            assertThrows(NoSuchAccountException.class, () -> client.login("nobody", key));

            assertEquals(List.of("HAI!!! :3", "SIZE 1000", "POW 4"), client.ohai());
            assertEquals(4, client.proofOfWorkDifficulty());
            assertEquals(1000, client.maxMessageSize().getAsLong());
            client.noop();

            byte[] raw = rawMessage("bob");
            byte[] pow = ProofOfWork.find(raw, 4);
            SignedStatus receipt = client.mail(raw, pow, key);
            assertEquals(StatusWord.SUCCESS, receipt.word());
            Command.Mail sent = (Command.Mail) server.received.get(server.received.size() - 1);
            assertArrayEquals(raw, sent.rawMessage(), "the message went out byte for byte");
            assertArrayEquals(pow, sent.proofOfWork());

            assertThrows(MessageTooLargeException.class, () -> client.mail(new byte[1001], new byte[64], key));
            assertFalse(client.isBroken(), "refusals leave the client usable");
            client.quit();
            assertTrue(client.isBroken());
        }
    }

    @Test
    void repliesSignedByAnotherKeyAreRejectedAndBreakTheClient() throws Exception {
        Ed25519KeyPair impostor = Ed25519KeyPair.generate(RANDOM);
        try (ScriptedServer server = new ScriptedServer(c -> honest(c, impostor))) {
            try (CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
                byte[] pinned = serverKeys.publicKey();
                InvalidSignatureException e = assertThrows(InvalidSignatureException.class,
                        () -> client.keyRequest("bob", "example.org", pinned));
                assertTrue(e.getMessage().startsWith("127.0.0.1:" + server.address().getPort() + " KEYREQUEST bob@example.org: "),
                        e.getMessage());
                assertTrue(client.isBroken());
                assertThrows(ClientBrokenException.class, client::noop);
            }
            try (CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
                assertThrows(InvalidSignatureException.class, () -> client.keyRequest("nobody", "example.org",
                        serverKeys.publicKey()), "KEYNOTAVAILABLE is checked too");
            }
            try (CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
                assertThrows(InvalidSignatureException.class, () -> client.login("bob", serverKeys.publicKey()));
            }
            try (CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
                assertThrows(ReceiptInvalidException.class,
                        () -> client.mail(rawMessage("bob"), new byte[64], serverKeys.publicKey()));
            }
        }
    }

    @Test
    void aReceiptForAnotherMessageIsNoReceipt() throws Exception {
        byte[] other = Blake2b.hash512(rawMessage("carol"));
        try (ScriptedServer server = new ScriptedServer(c -> c instanceof Command.Mail
                ? ReplyEncoder.encode(status(serverKeys, StatusWord.SUCCESS, other)) : honest(c, serverKeys));
             CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
            assertThrows(ReceiptInvalidException.class,
                    () -> client.mail(rawMessage("bob"), new byte[64], serverKeys.publicKey()));
        }
    }

    @Test
    void aBadSelfSignatureIsRejected() throws Exception {
        byte[] key = serverKeys.publicKey();
        byte[] forged = ReplyEncoder.encode(new KeyReply(key, new byte[64]));
        try (ScriptedServer server = new ScriptedServer(c -> forged);
             CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
            assertThrows(InvalidSignatureException.class, client::serverKey);
        }
    }

    @Test
    void aMalformedReplyBreaksTheClient() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> "no terminator, wrong kind\0".getBytes(StandardCharsets.US_ASCII));
             CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
            assertThrows(MalformedServerReplyException.class, client::serverKey);
            assertTrue(client.isBroken());
        }
    }

    @Test
    void aServerThatHangsUpBreaksTheClient() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> null);
             CmtpClient client = CmtpClient.connect(server.address(), TIMEOUT, TIMEOUT)) {
            ConnectionFailedException e = assertThrows(ConnectionFailedException.class, client::noop);
            assertEquals("127.0.0.1:" + server.address().getPort() + " NOOP: the server closed the connection",
                    e.getMessage());
            assertTrue(client.isBroken());
            assertInstanceOf(ClientBrokenException.class, assertThrows(CmtpClientException.class, client::noop));
        }
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            ConnectionFailedException e = assertThrows(ConnectionFailedException.class,
                    () -> CmtpClient.connect(address, TIMEOUT, Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("banner") && e.getMessage().contains("no reply within 300 ms"),
                    e.getMessage());
        }
    }

    @Test
    void aRefusedConnectionNamesTheServer() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        ConnectionFailedException e = assertThrows(ConnectionFailedException.class,
                () -> CmtpClient.connect(address, TIMEOUT, TIMEOUT));
        assertTrue(e.getMessage().startsWith("127.0.0.1:" + port + " connect: "), e.getMessage());
    }

    /**
     * An SMTP server on the CMTP port greets with a CRLF line and no NUL: the client says so
     * at once (the relay then knows the host has no CMTP server, ADR 0028) instead of
     * waiting for the rest of a banner until its read timeout.
     */
    @Test
    void anSmtpGreetingIsToldApartAtOnce() throws Exception {
        try (java.net.ServerSocket smtp = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> {
                try (java.net.Socket socket = smtp.accept()) {
                    socket.getOutputStream().write("220 mx.example.org ESMTP Postfix (Debian)\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().read(); // until the client closes
                } catch (java.io.IOException e) {
                    // the client went away: done
                }
            });
            greeter.start();
            long started = System.nanoTime();
            NotCmtpServerException refused = assertThrows(NotCmtpServerException.class, () -> CmtpClient.connect(
                    new java.net.InetSocketAddress(smtp.getInetAddress(), smtp.getLocalPort()), TIMEOUT,
                    Duration.ofSeconds(60)));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0,
                    "long before the 60 s read timeout");
            assertTrue(refused.getMessage().contains("220 mx.example.org ESMTP Postfix (Debian)"), refused.getMessage());
            greeter.join(5000);
        }
    }
}
