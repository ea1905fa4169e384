package org.cmtp.ra.outbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.InvalidPropertyException;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.cmtp.client.ConnectionFailedException;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.client.ScriptedServer;
import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Signatures;
import org.cmtp.message.MailAddress;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyEncoder;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.protocol.TextReply;
import org.cmtp.ra.api.CmtpConnection;
import org.cmtp.ra.api.CmtpConnectionException;
import org.cmtp.ra.api.CmtpConnectionFactory;
import org.junit.jupiter.api.Test;

/** The outbound adapter without a container: configuration, pinning, matching and error events. */
class CmtpManagedConnectionFactoryTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ed25519KeyPair serverKeys = Ed25519KeyPair.generate(RANDOM);
    private final Ed25519KeyPair bobKeys = Ed25519KeyPair.generate(RANDOM);
    /** NOOP makes the scripted server hang up, which breaks the client. */
    private final Function<Command, byte[]> server = command -> answer(command, serverKeys);

    /** A server like ours: it advertises KEYBIND and answers it with address-bound replies. */
    private byte[] answer(Command command, Ed25519KeyPair signer) {
        return answer(command, signer, true);
    }

    /** {@code keyBind} false: an attacker stripped "KEYBIND 1" and answers the old way only. */
    private byte[] answer(Command command, Ed25519KeyPair signer, boolean keyBind) {
        Reply reply;
        if (command instanceof Command.Noop) {
            return null;
        } else if (command instanceof Command.Ohai) {
            reply = new TextReply("HAI!!! :3\nSIZE 100000\nPOW 0\n" + (keyBind ? "KEYBIND 1\n" : ""));
        } else if (keyBind && command instanceof Command.KeyBind request
                && (request.isForServer() || request.user().equals("bob"))) {
            byte[] key = request.isForServer() ? signer.publicKey() : bobKeys.publicKey();
            reply = org.cmtp.protocol.KeyReply.bound(key, Signatures.sign(signer, request.bytesToSign(key)));
        } else if (keyBind && command instanceof Command.KeyBind request) {
            reply = new SignedStatus(StatusWord.KEYNOTAVAILABLE, Signatures.sign(signer,
                    org.cmtp.protocol.KeyBinding.statusBytesToSign(StatusWord.KEYNOTAVAILABLE, request.user(), request.domain())));
        } else if (!keyBind && command instanceof Command.KeyBind request) {
            byte[] key = request.isForServer() ? signer.publicKey() : bobKeys.publicKey();
            reply = new KeyReply(key, Signatures.sign(signer, key));
        } else if (command instanceof Command.KeyRequest request && (request.isForServer() || request.user().equals("bob"))) {
            byte[] key = request.isForServer() ? signer.publicKey() : bobKeys.publicKey();
            reply = new KeyReply(key, Signatures.sign(signer, key));
        } else if (command instanceof Command.Mail mail) {
            reply = status(signer, StatusWord.SUCCESS, Blake2b.hash512(mail.rawMessage()));
        } else {
            reply = status(signer, StatusWord.KEYNOTAVAILABLE, new byte[0]);
        }
        return ReplyEncoder.encode(reply);
    }

    private static SignedStatus status(Ed25519KeyPair signer, StatusWord word, byte[] context) {
        return new SignedStatus(word, Signatures.sign(signer, SignedStatus.bytesToSign(word, context)));
    }

    @Test
    void aServerThatAdvertisedKeyBindIsHeldToItOnEveryLaterConnection() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stripped = new java.util.concurrent.atomic.AtomicBoolean();
        try (ScriptedServer scripted = new ScriptedServer(c -> answer(c, serverKeys, !stripped.get()))) {
            CmtpManagedConnectionFactory factory = factory(scripted);
            factory.createManagedConnection(null, null).destroy(); // learns KEYBIND
            stripped.set(true);
            jakarta.resource.ResourceException refused = assertThrows(jakarta.resource.ResourceException.class,
                    () -> factory.createManagedConnection(null, null));
            assertTrue(refused.getMessage().contains("KEYBIND"), refused.getMessage());
        }
    }

    private static CmtpManagedConnectionFactory factory(ScriptedServer server) {
        CmtpManagedConnectionFactory factory = new CmtpManagedConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(server.address().getPort());
        factory.setReadTimeoutMillis(5000);
        return factory;
    }

    @Test
    void equalWhenEveryConfigurationPropertyIsEqual() {
        CmtpManagedConnectionFactory a = new CmtpManagedConnectionFactory();
        CmtpManagedConnectionFactory b = new CmtpManagedConnectionFactory();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        for (var change : List.<java.util.function.Consumer<CmtpManagedConnectionFactory>>of(
                f -> f.setHost("mx.example.org"), f -> f.setPort(25), f -> f.setConnectTimeoutMillis(1),
                f -> f.setReadTimeoutMillis(1), f -> f.setServerKey("00".repeat(32)))) {
            CmtpManagedConnectionFactory changed = new CmtpManagedConnectionFactory();
            change.accept(changed);
            assertNotEquals(a, changed);
            change.accept(a);
            assertEquals(a, changed);
            assertEquals(a.hashCode(), changed.hashCode());
            a = new CmtpManagedConnectionFactory();
        }
        assertNotEquals(new CmtpManagedConnectionFactory(), null);
    }

    @Test
    void defaultsComeFromTheServerSettingsWithTheWildcardMeaningLoopback() {
        CmtpManagedConnectionFactory factory = new CmtpManagedConnectionFactory();
        String bind = System.getProperty("cmtp.bind");
        String port = System.getProperty("cmtp.port");
        try {
            System.setProperty("cmtp.bind", "0.0.0.0");
            System.setProperty("cmtp.port", "19999");
            assertEquals("127.0.0.1", factory.effectiveHost());
            assertEquals(19999, factory.effectivePort());
            System.setProperty("cmtp.bind", "::");
            assertEquals("::1", factory.effectiveHost());
            System.setProperty("cmtp.bind", "127.0.0.7");
            assertEquals("127.0.0.7", factory.effectiveHost());
            factory.setHost("mx.example.org");
            factory.setPort(25);
            assertEquals("mx.example.org", factory.effectiveHost());
            assertEquals(25, factory.effectivePort());
        } finally {
            restore("cmtp.bind", bind);
            restore("cmtp.port", port);
        }
        assertEquals(5000, factory.effectiveConnectTimeoutMillis());
        assertEquals(30000, factory.effectiveReadTimeoutMillis());
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void refusesBadProperties() {
        CmtpManagedConnectionFactory factory = new CmtpManagedConnectionFactory();
        factory.setPort(70000);
        assertThrows(InvalidPropertyException.class, factory::validate);
        factory.setPort(9001);
        factory.setServerKey("abc");
        assertThrows(InvalidPropertyException.class, factory::validate);
    }

    @Test
    void matchSkipsBrokenConnectionsAndTheBrokenOneIsReportedToTheContainer() throws Exception {
        try (ScriptedServer scripted = new ScriptedServer(server)) {
            CmtpManagedConnectionFactory factory = factory(scripted);
            CmtpManagedConnection first = (CmtpManagedConnection) factory.createManagedConnection(null, null);
            CmtpManagedConnection second = (CmtpManagedConnection) factory.createManagedConnection(null, null);
            List<ConnectionEvent> events = new ArrayList<>();
            first.addConnectionEventListener(recorder(events));
            Set<Object> pool = new LinkedHashSet<>(List.of(first, second));
            assertSame(first, factory.matchManagedConnections(pool, null, null));

            CmtpConnection handle = (CmtpConnection) first.getConnection(null, null);
            CmtpConnectionException e = assertThrows(CmtpConnectionException.class, handle::noop);
            assertInstanceOf(ConnectionFailedException.class, e.clientException());
            assertEquals("ConnectionFailedException", e.getErrorCode());
            assertTrue(first.isBroken());
            assertEquals(1, events.size());
            assertEquals(ConnectionEvent.CONNECTION_ERROR_OCCURRED, events.get(0).getId());

            assertSame(second, factory.matchManagedConnections(pool, null, null), "the broken one is skipped");
            assertEquals(Set.of(first), factory.getInvalidConnections(pool));
            assertNull(factory.matchManagedConnections(Set.of(first), null, null));

            CmtpManagedConnectionFactory other = factory(scripted);
            other.setReadTimeoutMillis(1234);
            assertNull(other.matchManagedConnections(Set.of(second), null, null), "another factory's connection");
            first.destroy();
            second.destroy();
        }
    }

    @Test
    void closingAHandleGivesTheConnectionBackAndTheHandleIsDeadAfterwards() throws Exception {
        try (ScriptedServer scripted = new ScriptedServer(server)) {
            CmtpManagedConnection connection = (CmtpManagedConnection) factory(scripted).createManagedConnection(null, null);
            List<ConnectionEvent> events = new ArrayList<>();
            connection.addConnectionEventListener(recorder(events));
            CmtpConnection handle = (CmtpConnection) connection.getConnection(null, null);
            assertArrayEquals(serverKeys.publicKey(), handle.serverKey());
            handle.close();
            assertEquals(ConnectionEvent.CONNECTION_CLOSED, events.get(0).getId());
            assertSame(handle, events.get(0).getConnectionHandle());
            assertThrows(IllegalStateException.class, () -> handle.keyRequest("bob", "example.org"));
            assertFalse(connection.isBroken(), "closing a handle does not break the connection");
            connection.destroy();
            assertTrue(connection.isBroken());
        }
    }

    @Test
    void theFirstServerKeyIsPinnedAndAnotherKeyIsRefused() throws Exception {
        Ed25519KeyPair impostor = Ed25519KeyPair.generate(RANDOM);
        AtomicBoolean swapped = new AtomicBoolean();
        try (ScriptedServer scripted = new ScriptedServer(c -> answer(c, swapped.get() ? impostor : serverKeys))) {
            CmtpManagedConnectionFactory factory = factory(scripted);
            assertNull(factory.pinnedKey());
            factory.createManagedConnection(null, null).destroy();
            assertArrayEquals(serverKeys.publicKey(), factory.pinnedKey());
            swapped.set(true);
            ResourceException e = assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));
            assertTrue(e.getMessage().contains("not the pinned"), e.getMessage());
        }
    }

    @Test
    void aConfiguredServerKeyIsPinnedFromTheStart() throws Exception {
        try (ScriptedServer scripted = new ScriptedServer(server)) {
            CmtpManagedConnectionFactory factory = factory(scripted);
            factory.setServerKey(HexFormat.of().formatHex(Ed25519KeyPair.generate(RANDOM).publicKey()));
            assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));
            factory.setServerKey(HexFormat.of().formatHex(serverKeys.publicKey()));
            CmtpManagedConnectionFactory fresh = factory(scripted);
            fresh.setServerKey(HexFormat.of().formatHex(serverKeys.publicKey()));
            fresh.createManagedConnection(null, null).destroy();
        }
    }

    @Test
    void outsideAContainerTheFactorySendsMailOnAFreshConnection() throws Exception {
        try (ScriptedServer scripted = new ScriptedServer(server)) {
            CmtpConnectionFactory factory = (CmtpConnectionFactory) factory(scripted).createConnectionFactory();
            MailAddress bob = new MailAddress("bob", "example.org");
            MailAddress nobody = new MailAddress("nobody", "example.org");
            try (CmtpConnection connection = factory.getConnection()) {
                List<Receipt> receipts = connection.send(OutgoingMail.from(new MailAddress("alice", "example.org"))
                        .to(bob, nobody).subject("hi").text("hello").build());
                assertEquals(2, receipts.size());
                assertEquals(StatusWord.SUCCESS, receipts.get(0).status());
                assertTrue(receipts.get(0).verify(serverKeys.publicKey()));
                assertEquals(StatusWord.KEYNOTAVAILABLE, receipts.get(1).status());
                assertTrue(connection.keyRequest("nobody", "example.org").isEmpty());
            }
        }
    }

    private static ConnectionEventListener recorder(List<ConnectionEvent> events) {
        return new ConnectionEventListener() {
            @Override
            public void connectionClosed(ConnectionEvent event) {
                events.add(event);
            }

            @Override
            public void connectionErrorOccurred(ConnectionEvent event) {
                events.add(event);
            }

            @Override
            public void localTransactionStarted(ConnectionEvent event) {
            }

            @Override
            public void localTransactionCommitted(ConnectionEvent event) {
            }

            @Override
            public void localTransactionRolledback(ConnectionEvent event) {
            }
        };
    }
}
