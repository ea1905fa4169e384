package org.cmtp.it;

import static org.cmtp.it.support.MailBytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.it.support.TestServer;
import org.cmtp.sodium.Libsodium;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every command of PROTOCOL.md against the deployed server over a real socket, byte for
 * byte, with every signature checked by libsodium.
 */
@ExtendWith(ArquillianExtension.class)
class ProtocolIT {

    private static final String PASSWORD = "bob's password 1";
    private static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ " + Pattern.quote(TestServer.domain())
                    + " accepted from 127\\.0\\.0\\.1\n");

    @Deployment(testable = false)
    static WebArchive server() {
        return ServerDeployment.war();
    }

    @ArquillianResource
    private URL base;

    private AdminClient admin;
    private byte[] serverKey;

    @BeforeEach
    void setUp() throws Exception {
        admin = AdminClient.admin(TestServer.http(base));
        JsonObject server = admin.get("/api/server").json().asJsonObject();
        serverKey = HexFormat.of().parseHex(server.getString("publicKey"));
    }

    @Test
    void bannerOhaiNoopHelpAndObaiAreTextReplies() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.toServer()) {
            assertEquals("Welcome to CMTP version 1\n\0", cmtp.readText());
            assertEquals("HAI!!! :3\nSIZE 26214400\nPOW 0\nKEYBIND 1\n\0", cmtp.send("OHAI\0").readText());
            assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText());
            String help = cmtp.send("HELP\0").readText();
            assertEquals("""
                    Commands (each ends in \\0):
                    OHAI  greeting, capabilities
                    NOOP  nothing
                    HELP  this text
                    KEYREQUEST user domain  a key
                    KEYBIND user domain  a key bound to the address
                    LOGIN user  signed xzibit
                    MAIL message pow  signed receipt
                    OBAI  good bye
                    \0""", help, "HELP, byte for byte");
            assertTrue(help.getBytes(StandardCharsets.UTF_8).length < 255,
                    "a text reply is under 255 bytes (PROTOCOL.md §1): " + help.length());
            assertEquals("Good bye\n\0", cmtp.send("OBAI\0").readText());
            assertTrue(cmtp.closedByServerWithin(5000), "OBAI closes the connection");
        }
    }

    @Test
    void keyRequestWithEmptyUserGivesTheSelfSignedServerKey() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            byte[] key = Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), null);
            assertArrayEquals(serverKey, key, "the key the admin API shows");
        }
    }

    @Test
    void keyRequestForALocalUserGivesTheAccountKeySignedByTheServer() throws Exception {
        String name = newAccount();
        byte[] accountKey = HexFormat.of().parseHex(admin.get("/api/accounts/" + name).json().asJsonObject()
                .getString("publicKey"));
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            assertArrayEquals(accountKey, Replies.expectKey(
                    cmtp.send("KEYREQUEST\0" + name + "\0" + TestServer.domain() + "\0"), serverKey));
            assertArrayEquals(accountKey, Replies.expectKey(cmtp.send("KEYREQUEST\0" + name + "\0\0"), serverKey),
                    "an empty domain means this server's domain");
        }
    }

    @Test
    void keyRequestForAnUnknownUserIsASignedKeyNotAvailable() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send("KEYREQUEST\0nobody\0" + TestServer.domain() + "\0"), "KEYNOTAVAILABLE",
                    new byte[0], serverKey);
            assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText(), "the session goes on");
        }
    }

    @Test
    void loginGivesAnXzibitThatLibsodiumOpensWithThePassword() throws Exception {
        String name = newAccount();
        byte[] accountKey = HexFormat.of().parseHex(admin.get("/api/accounts/" + name).json().asJsonObject()
                .getString("publicKey"));
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            byte[] reply = cmtp.send("LOGIN\0" + name + "\0").read(156 + 64);
            byte[] xzibit = Arrays.copyOf(reply, 156);
            assertTrue(Libsodium.verifyDetached(Arrays.copyOfRange(reply, 156, 220), xzibit, serverKey),
                    "the server signed the xzibit");
            byte[] keys = openXzibit(xzibit, PASSWORD);
            assertArrayEquals(accountKey, Arrays.copyOf(keys, 32), "the xzibit holds the account's public key");
            byte[] derivedPublic = Libsodium.signSeedKeypair(Arrays.copyOfRange(keys, 32, 64))[0];
            assertArrayEquals(accountKey, derivedPublic, "and the secret key that goes with it");
        }
    }

    @Test
    void loginForAnUnknownUserIsASignedFailure() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send("LOGIN\0nobody\0"), "FAILURE", new byte[0], serverKey);
        }
    }

    @Test
    void mailIsStoredExactlyWithTheLogLineAndAReceiptOverItsHash() throws Exception {
        String name = newAccount();
        byte[] plaintext = "Reply-To\0Subject\0002026-11-28T16:00:00Z\0\0hello".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = sealTo(name, plaintext);
        MailBytes mail = MailBytes.to(name, TestServer.domain()).log("2026-11-28T15:59:00Z far.test accepted from 192.0.2.7\n")
                .body(sealed).attachment(sealTo(name, new byte[300]));
        byte[] message = mail.message();
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, message), serverKey);
        }
        JsonArray messages = admin.get("/api/accounts/" + name + "/messages").json().asJsonArray();
        assertEquals(1, messages.size());
        JsonObject summary = messages.getJsonObject(0);
        assertEquals("alice@elsewhere.test", summary.getString("sender"));
        byte[] stored = admin.getBytes("/api/accounts/" + name + "/messages/" + summary.getJsonNumber("id") + "/raw");
        assertEquals(stored.length, summary.getJsonNumber("size").longValue());
        String line = appendedLogLine(message, stored);
        assertTrue(LOG_LINE.matcher(line).matches(), "log line: " + line);
        assertArrayEquals(mail.storedWith(line), stored, "stored = sent message + the server's log line");
    }

    @Test
    void mailForAnUnknownAccountIsADeliveryFailure() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            MailBytes unknown = MailBytes.to("nobody", TestServer.domain()).body(new byte[60]);
            Replies.expectStatus(cmtp.send(unknown.command()), "DELIVERYFAILURE",
                    Libsodium.genericHash(64, unknown.message()), serverKey);
        }
    }

    /** The test client is on loopback, which cmtp.relay-networks trusts by default. */
    @Test
    void mailForAnotherDomainFromATrustedClientIsQueuedForRelay() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            MailBytes foreign = MailBytes.to("bob", "elsewhere.test").body(new byte[60]);
            Replies.expectStatus(cmtp.send(foreign.command()), "SUCCESS",
                    Libsodium.genericHash(64, foreign.message()), serverKey);
        }
        JsonArray queue = admin.get("/api/queue").json().asJsonArray();
        assertTrue(queue.stream().map(JsonValue::asJsonObject)
                .anyMatch(q -> q.getString("recipient").equals("bob@elsewhere.test")
                        && q.getString("sender").equals("alice@elsewhere.test")), queue.toString());
    }

    @Test
    void commandsSplitAtEveryByteOrPipelinedGetTheSameReplies() throws Exception {
        String name = newAccount();
        MailBytes mail = MailBytes.to(name, TestServer.domain()).body(sealTo(name, "pipelined".getBytes()));
        byte[] stream = concat(("OHAI\0\0NOOP\0KEYREQUEST\0\0KEYREQUEST\0" + name + "\0" + TestServer.domain()
                + "\0LOGIN\0" + name + "\0").getBytes(StandardCharsets.UTF_8), mail.command(), "NOOP\0".getBytes());
        int replyLength = "HAI!!! :3\nSIZE 26214400\nPOW 0\nKEYBIND 1\n\0".length() + 5 + 102 + 102 + 220 + 77 + 5;
        byte[] whole;
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            whole = cmtp.send(stream).read(replyLength);
        }
        byte[] split;
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            split = cmtp.sendByteByByte(stream).read(replyLength);
        }
        assertArrayEquals(whole, split, "replies do not depend on how the stream is cut");
        assertEquals("O_O\n\0", new String(whole, whole.length - 5, 5, StandardCharsets.US_ASCII));
        assertEquals(2, admin.get("/api/accounts/" + name + "/messages").json().asJsonArray().size(),
                "both MAILs stored");
    }

    // --- helpers ---

    private String newAccount() throws Exception {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        admin.createAccount(name, PASSWORD);
        return name;
    }

    private byte[] sealTo(String account, byte[] plaintext) throws Exception {
        byte[] key = HexFormat.of().parseHex(admin.get("/api/accounts/" + account).json().asJsonObject()
                .getString("publicKey"));
        byte[] sealed = Libsodium.boxSeal(plaintext, Libsodium.pkToCurve25519(key));
        assertNotNull(sealed);
        return sealed;
    }

    /** The xzibit layout of PROTOCOL.md §2, opened the way a libsodium client does. */
    static byte[] openXzibit(byte[] xzibit, String password) {
        ByteBuffer in = ByteBuffer.wrap(xzibit);
        assertEquals(1, in.getInt(), "xzibit version");
        byte[] salt = new byte[32];
        in.get(salt);
        assertEquals(112, in.getLong(), "xzibit ciphertext length");
        byte[] ciphertext = new byte[112];
        in.get(ciphertext);
        byte[] key = Libsodium.scryptInteractive(password.getBytes(StandardCharsets.UTF_8), salt);
        byte[] plain = Libsodium.aeadChaCha20Poly1305Decrypt(ciphertext, Arrays.copyOf(salt, 8), key);
        assertNotNull(plain, "the password opens the xzibit");
        return plain;
    }

    /** The text of the log line the server appended: stored log minus the sent log. */
    static String appendedLogLine(byte[] sent, byte[] stored) {
        long sentLog = ByteBuffer.wrap(sent, 8, 8).getLong();
        long storedLog = ByteBuffer.wrap(stored, 8, 8).getLong();
        int added = (int) (storedLog - sentLog);
        assertEquals(sent.length + added, stored.length, "only the log grew");
        int logStart = headerLength(stored);
        return new String(stored, (int) (logStart + sentLog), added, StandardCharsets.UTF_8);
    }

    private static int headerLength(byte[] message) {
        int position = 24;
        for (int field = 0; field < 4; field++) {
            while (message[position] != 0) {
                position++;
            }
            position++;
        }
        return position;
    }

    static URI uri(URL url) throws Exception {
        return url.toURI();
    }
}
