package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.InvalidSignatureException;
import org.cmtp.client.ScriptedServer;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.CommandLineClient.Run;
import org.cmtp.it.support.CommandLineClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.CommandEncoder;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyDecoder;
import org.cmtp.protocol.ReplyEncoder;
import org.cmtp.protocol.TextReply;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Key substitution (issue 14, item 1), attacked on real servers: a version-1 key reply
 * signs only the key, so an attacker on the path between a client and its server can
 * answer "the key of bob" with the server-signed reply for a key of their own. With
 * {@code KEYBIND} (PROTOCOL.md §4a) the signature covers the question, libsodium checks it
 * over exactly the bytes of §4a, our client refuses a reply replayed from another address
 * and cannot be talked back down to version 1, and servers relay keys with it.
 *
 * <p>Servers: keybind.test on 127.0.0.71, far.test on 127.0.0.72 (reached by a static
 * route); ports chosen per run (FreePorts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyBindIT {

    /** Ports of this run (FreePorts). */
    private static final int FAR_CMTP = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "keybind.test";
    private static final String FAR = "far.test";
    private static final String PASSWORD = "keybind-admin-password";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LaunchedServer home;
    private LaunchedServer far;
    private AdminClient admin;
    private byte[] serverKey;
    private byte[] bobKey;
    private byte[] malloryKey;
    private byte[] carolKey;

    @BeforeAll
    void startServers() throws Exception {
        far = servers.newServer("keybind-far", "127.0.0.72", FAR_CMTP, FAR, PASSWORD);
        home = servers.newServer("keybind-home", "127.0.0.71", FreePorts.take(), DOMAIN, PASSWORD)
                .with("CMTP_ROUTES", FAR + "=127.0.0.72:" + FAR_CMTP);
        servers.start(far, home);
        carolKey = key(far.admin().createAccount("carol", "carol-password-1234"));
        admin = home.admin();
        serverKey = home.serverKey();
        bobKey = key(admin.createAccount("bob", "bob-password-12345"));
        malloryKey = key(admin.createAccount("mallory", "mallory-password-123"));
    }

    private static byte[] key(JsonObject account) {
        return HexFormat.of().parseHex(account.getString("publicKey"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void libsodiumVerifiesTheBoundSignatureOverExactlyTheBytesOfSection4a() throws Exception {
        try (RawCmtpConnection cmtp = home.connect()) {
            cmtp.readText();
            assertTrue(cmtp.send("OHAI\0").readText().contains("\nKEYBIND 1\n"), "advertised in OHAI");

            // the account as sent, the domain canonical: upper case and a trailing dot are not part of it
            byte[] reply = cmtp.send("KEYBIND\0bob\0KeyBind.TEST.\0").read(102);
            ByteBuffer wire = ByteBuffer.wrap(reply);
            assertEquals(2, wire.getInt(), "an address-bound reply is version 2");
            byte[] key = new byte[32];
            wire.get(key);
            assertEquals(0, wire.get());
            byte[] signature = new byte[64];
            wire.get(signature);
            assertEquals(0, wire.get());
            assertArrayEquals(bobKey, key);
            byte[] signed = MailBytes.concat(bytes("CMTP-KEYBIND-1\0bob\0keybind.test\0"), key);
            assertTrue(Libsodium.verifyDetached(signature, signed, serverKey), "libsodium verifies the bound statement");
            assertFalse(Libsodium.verifyDetached(signature, key, serverKey), "it is not the version-1 signature");

            byte[] own = cmtp.send("KEYBIND\0\0").read(102);
            byte[] ownSignature = java.util.Arrays.copyOfRange(own, 37, 101);
            assertArrayEquals(serverKey, java.util.Arrays.copyOfRange(own, 4, 36));
            assertTrue(Libsodium.verifyDetached(ownSignature, MailBytes.concat(bytes("CMTP-KEYBIND-1\0\0\0"), serverKey), serverKey),
                    "the server's own key: user and domain both empty");

            byte[] none = cmtp.send("KEYBIND\0nobody\0keybind.test\0").read(4 + 16 + 64 + 1);
            assertArrayEquals(bytes("\0\0\0\0KEYNOTAVAILABLE\0"), java.util.Arrays.copyOf(none, 20));
            byte[] noneSignature = java.util.Arrays.copyOfRange(none, 20, 84);
            assertTrue(Libsodium.verifyDetached(noneSignature,
                    bytes("KEYNOTAVAILABLE\0CMTP-KEYBIND-1\0nobody\0keybind.test\0"), serverKey),
                    "KEYNOTAVAILABLE is bound to the question too");
        }
    }

    @Test
    void aReferenceStyleClientWithPlainKeyRequestStillWorks() throws Exception {
        try (RawCmtpConnection cmtp = home.connect()) {
            cmtp.readText();
            byte[] reply = cmtp.send("KEYREQUEST\0bob\0keybind.test\0").read(102);
            assertEquals(1, ByteBuffer.wrap(reply).getInt(), "version 1, unchanged");
            assertArrayEquals(bobKey, java.util.Arrays.copyOfRange(reply, 4, 36));
            assertTrue(Libsodium.verifyDetached(java.util.Arrays.copyOfRange(reply, 37, 101), bobKey, serverKey));
        }
    }

    @Test
    void aReplyReplayedForAnotherAddressIsRefusedByOurClient() throws Exception {
        // What the attacker holds: the home server's own signed answers about mallory's key.
        byte[] unboundMallory = realReply(new Command.KeyRequest("mallory", DOMAIN));
        byte[] boundMallory = realReply(new Command.KeyBind("mallory", DOMAIN));
        // The attack works on the version-1 reply: it verifies as an answer for anyone.
        byte[] unboundSignature = java.util.Arrays.copyOfRange(unboundMallory, 37, 101);
        assertTrue(Libsodium.verifyDetached(unboundSignature, malloryKey, serverKey));

        try (ManInTheMiddle attacker = new ManInTheMiddle(command -> command instanceof Command.KeyBind bind
                && bind.user().equals("bob") ? boundMallory : null, false);
             CmtpClient client = CmtpClient.connect(attacker.address(), TIMEOUT, TIMEOUT)) {
            byte[] key = client.serverKey();
            assertArrayEquals(serverKey, key, "the attacker forwards the real server key");
            InvalidSignatureException refused = assertThrows(InvalidSignatureException.class,
                    () -> client.keyRequest("bob", DOMAIN, key));
            assertTrue(refused.getMessage().contains("another address"), refused.getMessage());
        }
        // through an honest path the same client code gets bob's real key
        try (ManInTheMiddle honest = new ManInTheMiddle(command -> null, false);
             CmtpClient client = CmtpClient.connect(honest.address(), TIMEOUT, TIMEOUT)) {
            byte[] key = client.serverKey();
            assertArrayEquals(bobKey, client.keyRequest("bob", DOMAIN, key).orElseThrow());
            assertTrue(client.usesKeyBind());
        }
        assertEquals(1, ByteBuffer.wrap(unboundMallory).getInt());
    }

    @Test
    void theCliRemembersKeyBindAndRefusesADowngradeLater() throws Exception {
        Path work = LaunchedServer.freshDataDir("keybind-cli");
        Files.createDirectories(work);
        Map<String, String> environment = Map.of("CMTP_CONFIG_DIR", work.resolve("config").toString());
        try (ManInTheMiddle path = new ManInTheMiddle(command -> null, false)) {
            Run first = cli(environment, path.address(), "keyrequest", "bob@" + DOMAIN);
            assertEquals(0, first.exit(), first.toString());
            assertEquals(HexFormat.of().formatHex(bobKey), first.out().trim());
            String remembered = Files.readString(work.resolve("config/known-servers"));
            assertTrue(remembered.contains("127.0.0.1:" + path.address().getPort() + " keybind"), remembered);

            path.downgrade = true; // from now on: "KEYBIND 1" stripped, key requests answered the old way
            Run second = cli(environment, path.address(), "keyrequest", "bob@" + DOMAIN);
            assertEquals(2, second.exit(), second.toString());
            assertTrue(second.err().contains("KEYBIND"), second.toString());
            assertTrue(second.out().isEmpty(), "no key printed: " + second);
        }
    }

    @Test
    void serversRelayKeysWithKeyBindAndRememberItInThePin() throws Exception {
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(home.host(), home.cmtpPort()), TIMEOUT, TIMEOUT)) {
            byte[] key = client.serverKey();
            Optional<byte[]> carol = client.keyRequest("carol", FAR, key);
            assertArrayEquals(carolKey, carol.orElseThrow(), "far.test's key for carol, relayed and bound");
            assertEquals(Optional.empty(), client.keyRequest("nobody", FAR, key));
        }
        JsonObject pin = admin.get("/api/known-servers").json().asJsonArray().stream()
                .map(v -> v.asJsonObject()).filter(o -> o.getString("domain").equals(FAR)).findFirst().orElseThrow();
        assertTrue(pin.getBoolean("keyBind"), "far.test is remembered as a KEYBIND server: " + pin);
    }

    /** The home server's real answer to {@code command}, as bytes on the wire. */
    private byte[] realReply(Command command) throws Exception {
        try (RawCmtpConnection cmtp = home.connect()) {
            cmtp.readText();
            return cmtp.send(CommandEncoder.encode(command)).read(102);
        }
    }

    /**
     * An attacker on the path between a client and the home server: forwards every command to
     * the real server and its real reply back, except where {@code forge} returns other reply
     * bytes. With {@link #downgrade}: strips "KEYBIND 1" from OHAI and answers KEYBIND the old
     * way (asks the real server with KEYREQUEST and forwards its version-1 reply).
     */
    private final class ManInTheMiddle implements AutoCloseable {
        private final ScriptedServer listener;
        volatile boolean downgrade;

        ManInTheMiddle(java.util.function.Function<Command, byte[]> forge, boolean downgrade) throws Exception {
            this.downgrade = downgrade;
            listener = new ScriptedServer(command -> {
                try {
                    byte[] forged = forge.apply(command);
                    if (forged != null) {
                        return forged;
                    }
                    return forward(command);
                } catch (Exception e) {
                    return null;
                }
            });
        }

        private byte[] forward(Command command) throws Exception {
            Command asked = command;
            if (downgrade && command instanceof Command.KeyBind bind) {
                asked = new Command.KeyRequest(bind.user(), bind.domain());
            }
            try (Upstream real = new Upstream()) {
                Reply reply = real.ask(asked);
                if (downgrade && reply instanceof TextReply text) {
                    reply = new TextReply(text.text().replace("KEYBIND 1\n", ""));
                }
                return ReplyEncoder.encode(reply);
            }
        }

        InetSocketAddress address() {
            return listener.address();
        }

        @Override
        public void close() throws java.io.IOException {
            listener.close();
        }
    }

    /** One conversation with the real home server, for the attacker. */
    private final class Upstream implements AutoCloseable {
        private final RawCmtpConnection connection;
        private final ReplyDecoder replies = new ReplyDecoder();

        Upstream() throws Exception {
            connection = home.connect();
            connection.readText();
        }

        Reply ask(Command command) throws Exception {
            replies.expectReplyTo(command);
            connection.send(CommandEncoder.encode(command));
            while (true) {
                Optional<Reply> reply = replies.next();
                if (reply.isPresent()) {
                    return reply.get();
                }
                replies.feed(connection.read(1));
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    private static Run cli(Map<String, String> environment, InetSocketAddress server, String... args) throws Exception {
        return CommandLineClient.run(environment, new String[] {"--server", "127.0.0.1:" + server.getPort(),
                "--timeout", "30"}, args);
    }
}
