package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.it.support.TestServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input and bad clients: each gets a clear answer or is cut off, and after each the
 * same server still serves a good client at once. The server under test runs with an
 * idle timeout of 5 s, a message timeout of 8 s and at most 20 connections (cmtp-it/pom.xml).
 */
@ExtendWith(ArquillianExtension.class)
class HostileClientIT {

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
        serverKey = HexFormat.of().parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
    }

    @AfterEach
    void aGoodClientIsStillServed() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            cmtp.setReadTimeout(3000);
            assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText());
            Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), null);
        }
    }

    @Test
    void anUnknownCommandGetsASignedFailureAndTheSessionGoesOn() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send("HELO\0"), "FAILURE", new byte[0], serverKey);
            Replies.expectStatus(cmtp.send("MUCHTOOLONGCOMMAND\0"), "FAILURE", new byte[0], serverKey);
            assertEquals("O_O\n\0", cmtp.send("\0NOOP\0").readText(), "a lone NUL is ignored");
        }
    }

    @Test
    void tenBadCommandsInARowCloseTheConnection() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            for (int i = 0; i < 10; i++) {
                Replies.expectStatus(cmtp.send("BAD" + i + "\0"), "FAILURE", new byte[0], serverKey);
            }
            assertTrue(cmtp.closedByServerWithin(5000), "closed after the tenth bad command");
        }
    }

    @Test
    void aHugeDeclaredLengthIsRefusedAtOnceAndTheConnectionClosed() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            byte[] header = ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(Long.MAX_VALUE).array();
            cmtp.send("MAIL\0").send(header).send("bob\0" + TestServer.domain() + "\0alice\0far.test\0");
            Replies.expectStatus(cmtp, "FAILURE", new byte[0], serverKey);
            assertTrue(cmtp.closedByServerWithin(5000), "the stream cannot be resynchronised: closed");
        }
    }

    @Test
    void aMalformedMessageOfKnownLengthGetsAFailureAndTheSessionGoesOn() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            cmtp.send(MailBytes.to("bob", TestServer.domain()).version(2).body(new byte[80]).command());
            Replies.expectStatus(cmtp, "FAILURE", new byte[0], serverKey);
            byte[] header = ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(3).array();
            cmtp.send("MAIL\0").send(header).send(new byte[] {(byte) 0xFF, (byte) 0xFE, 0})
                    .send(TestServer.domain() + "\0alice\0far.test\0abc").send(MailBytes.ZERO_PROOF_OF_WORK);
            Replies.expectStatus(cmtp, "FAILURE", new byte[0], serverKey);
            assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText(), "the stream stayed in step");
        }
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeItIsRead() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            byte[] header = ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(26214400L + 1).array();
            cmtp.send("MAIL\0").send(header).send("bob\0" + TestServer.domain() + "\0alice\0far.test\0");
            Replies.expectStatus(cmtp, "FAILURE", new byte[0], serverKey);
        }
    }

    @Test
    void aClientThatVanishesMidMessageLeavesNothingStored() throws Exception {
        String name = "v" + UUID.randomUUID().toString().substring(0, 8);
        admin.createAccount(name, "vanishing password");
        long openBefore = openConnections();
        byte[] command = MailBytes.to(name, TestServer.domain()).body(new byte[5000]).command();
        for (int cut : new int[] {5, 20, 40, 1000, command.length - 64, command.length - 1}) {
            try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
                cmtp.send(java.util.Arrays.copyOf(command, cut));
            }
        }
        // every vanished session is over (what it would store is stored by then), then nothing is there
        awaitSessionsClosed(openBefore);
        assertEquals(0, admin.get("/api/accounts/" + name + "/messages").json().asJsonArray().size());
    }

    @Test
    void connectionsPastTheLimitAreToldTheServerIsBusy() throws Exception {
        long openBefore = openConnections();
        List<RawCmtpConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                held.add(RawCmtpConnection.greeted());
            }
            try (RawCmtpConnection extra = RawCmtpConnection.toServer()) {
                assertTrue(extra.readText().toLowerCase().contains("busy"));
                assertTrue(extra.closedByServerWithin(5000));
            }
        } finally {
            for (RawCmtpConnection connection : held) {
                connection.close();
            }
        }
        awaitSessionsClosed(openBefore); // the server noticed the closes: the next test is not told it is busy
    }

    /** CMTP connections the server has open now (admin API stats). */
    private long openConnections() throws java.io.IOException {
        return admin.get("/api/stats").json().asJsonObject().getJsonNumber("openConnections").longValue();
    }

    /** Waits until the server has no more connections open than {@code before}: this test's are all over. */
    private void awaitSessionsClosed(long before) throws InterruptedException {
        Await.until(() -> {
            try {
                return openConnections() <= before;
            } catch (java.io.IOException e) {
                return false;
            }
        }, java.time.Duration.ofSeconds(30), "the server closed this test's sessions (open connections back to "
                + before + ")");
    }

    @Test
    void anIdleClientIsDisconnected() throws Exception {
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            assertFalse(cmtp.closedByServerWithin(3000), "not before the idle timeout");
            assertTrue(cmtp.closedByServerWithin(6000), "after the idle timeout of 5 s");
        }
    }

    @Test
    void aClientTricklingAMessageIsCutOffAtTheMessageTimeout() throws Exception {
        byte[] command = MailBytes.to("bob", TestServer.domain()).body(new byte[400]).command();
        try (RawCmtpConnection slow = RawCmtpConnection.greeted()) {
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 15 && !cut; i++) {
                try {
                    slow.send(new byte[] {command[i]});
                } catch (java.io.IOException e) {
                    cut = true;
                }
                cut = cut || slow.closedByServerWithin(1000);
                // meanwhile another client is served promptly
                if (i == 3) {
                    aGoodClientIsStillServed();
                }
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(cut, "a client sending one byte a second is cut off");
            assertTrue(seconds >= 7, "not before the message timeout of 8 s (cut after " + seconds + " s)");
        }
    }

    @Test
    void accountNamesThatCouldEscapeAreRefused() throws Exception {
        String[] names = {"../etc/passwd", "a/b", "a\\b", "..", "tab\there", "bell\u0007"};
        for (String name : names) {
            // one connection per name: together they would pass the limit of bad commands in a row
            try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
                Replies.expectStatus(cmtp.send("KEYREQUEST\0" + name + "\0" + TestServer.domain() + "\0"),
                        "FAILURE", new byte[0], serverKey);
                Replies.expectStatus(cmtp.send("LOGIN\0" + name + "\0"), "FAILURE", new byte[0], serverKey);
            }
        }
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            byte[] notUtf8 = MailBytes.concat("LOGIN\0".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {(byte) 0xC3, (byte) 0x28, 0});
            Replies.expectStatus(cmtp.send(notUtf8), "FAILURE", new byte[0], serverKey);
        }
        for (String name : names) {
            AdminClient.Reply reply = admin.post("/api/accounts",
                    jakarta.json.Json.createObjectBuilder().add("name", name).add("password", "long enough pw")
                            .build().toString());
            assertEquals(400, reply.status(), name + ": " + reply.body());
            assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
            assertEquals("name", reply.json().asJsonObject().getString("field"));
        }
    }
}
