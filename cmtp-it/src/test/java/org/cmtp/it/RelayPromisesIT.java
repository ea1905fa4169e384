package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.cmtp.protocol.ProofOfWork;
import org.cmtp.crypto.Blake2b;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.server.dns.LoopbackDnsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Promises of the relay (PROTOCOL.md §6, §7; README settings) that had no test: the
 * delivery notice after a remote DELIVERYFAILURE and after the queue lifetime, never a
 * notice about a notice, the backoff in the queue's next-attempt times, MX fallback to
 * the second host, proof of work with D &gt; 0, and relayed MAIL held while the remote
 * key differs from the pin.
 *
 * <p>alpha.test on 127.0.0.150 relays; beta.test (also serving delta.test) on
 * 127.0.0.151 demands {@code POW 12}. delta.test's first MX is 127.0.0.152 where nothing
 * listens; gamma.test's only MX is 127.0.0.153 where nothing listens either. Ports are
 * chosen per run (FreePorts).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayPromisesIT {

    /** Ports of this run (FreePorts). */
    private static final int DNS_PORT = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String ALPHA_HOST = "127.0.0.150";
    private static final String BETA_HOST = "127.0.0.151";
    /** beta's CMTP port, which alpha dials for every MX (CMTP_MX_PORT). */
    private static final int MX_PORT = FreePorts.take();
    private static final int DIFFICULTY = 12;
    private static final int RETRY_INITIAL = 4;
    private static final int RETRY_MAX = 16;
    private static final int QUEUE_LIFETIME = 50;
    private static final String ZONE = """
            $TTL 60
            @ IN SOA ns.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
            @ IN NS ns.%1$s.
            ns IN A 127.0.0.1
            %2$s
            """;

    private static LoopbackDnsServer dns;
    private static LaunchedServer alpha;
    private static LaunchedServer beta;
    private static AdminClient alphaAdmin;
    private static AdminClient betaAdmin;

    @BeforeAll
    static void start() throws Exception {
        dns = servers.manage(LoopbackDnsServer.start(DNS_PORT,
                LoopbackDnsServer.zone("alpha.test.", ZONE.formatted("alpha.test", "@ IN MX 10 mx\nmx IN A " + ALPHA_HOST)),
                LoopbackDnsServer.zone("beta.test.", ZONE.formatted("beta.test", "@ IN MX 10 mx\nmx IN A " + BETA_HOST)),
                // first choice down, the second is beta
                LoopbackDnsServer.zone("delta.test.", ZONE.formatted("delta.test",
                        "@ IN MX 10 dead\n@ IN MX 20 live\ndead IN A 127.0.0.152\nlive IN A " + BETA_HOST)),
                LoopbackDnsServer.zone("gamma.test.", ZONE.formatted("gamma.test", "@ IN MX 10 mx\nmx IN A 127.0.0.153"))));
        alpha = server("relay-promises-alpha", "alpha.test", ALPHA_HOST, FreePorts.take(), "pw-alpha");
        beta = server("relay-promises-beta", "beta.test,delta.test", BETA_HOST, MX_PORT, "pw-beta")
                .with("CMTP_POW_DIFFICULTY", Integer.toString(DIFFICULTY));
        servers.start(alpha, beta);
        alphaAdmin = alpha.admin();
        betaAdmin = beta.admin();
        alphaAdmin.createAccount("alice", "alice's password");
        betaAdmin.createAccount("bob", "bob's password");
    }

    private static LaunchedServer server(String data, String domains, String host, int cmtpPort, String password)
            throws Exception {
        return servers.newServer(data, host, cmtpPort, domains, password)
                .with("CMTP_DNS_SERVERS", dns.hostAndPort())
                .with("CMTP_MX_PORT", Integer.toString(MX_PORT))
                .with("CMTP_DIAL_NETWORKS", "127.0.0.150/31,127.0.0.152/31")
                .with("CMTP_RETRY_INITIAL", Integer.toString(RETRY_INITIAL))
                .with("CMTP_RETRY_MAX", Integer.toString(RETRY_MAX))
                .with("CMTP_QUEUE_LIFETIME", Integer.toString(QUEUE_LIFETIME))
                .with("CMTP_KEY_CACHE_TTL", "1")
                .with("CMTP_RELAY_NETWORKS", "127.0.0.1/32");
    }

    // --- proof of work with D > 0, against beta launched with CMTP_POW_DIFFICULTY=12 ---

    @Test
    @Order(1)
    void withADifficultyAZeroFieldIsRefusedAndAFoundOneAccepted() throws Exception {
        byte[] betaKey = beta.serverKey();
        MailBytes mail = messageWhoseZeroFieldFails();
        byte[] hash = Blake2b.hash512(mail.message());
        try (RawCmtpConnection cmtp = connectFromLoopback(beta)) {
            cmtp.readText();
            assertTrue(cmtp.send("OHAI\0").readText().contains("\nPOW " + DIFFICULTY + "\n"), "advertised");
            Replies.expectStatus(cmtp.send(mail.command()), "DELIVERYFAILURE", hash, betaKey);
            byte[] field = ProofOfWork.find(mail.message(), DIFFICULTY);
            assertTrue(leadingZeroBits(Blake2b.hash512(MailBytes.concat(mail.message(), field))) >= DIFFICULTY,
                    "the test's own check of the found field");
            cmtp.send("MAIL\0").send(mail.message()).send(field);
            Replies.expectStatus(cmtp, "SUCCESS", hash, betaKey);
        }
        assertEquals(1, messages(betaAdmin, "bob").size(), "only the one with the proof was stored");
    }

    /** A message whose all-zero field does not happen to meet the difficulty (1 in 4096 would). */
    private static MailBytes messageWhoseZeroFieldFails() {
        Random random = new Random(22);
        while (true) {
            byte[] body = new byte[80];
            random.nextBytes(body);
            MailBytes mail = MailBytes.to("bob", "beta.test").from("carol", "elsewhere.test").body(body);
            if (leadingZeroBits(Blake2b.hash512(MailBytes.concat(mail.message(), new byte[64]))) < DIFFICULTY) {
                return mail;
            }
        }
    }

    /** Counted here, independently of the server's ProofOfWork. */
    private static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }

    // --- MX fallback: delta.test's first MX does not answer, the second is beta ---

    @Test
    @Order(2)
    void mailForADomainWhoseFirstMxIsDownGoesToTheSecond() throws Exception {
        int before = messages(betaAdmin, "bob").size();
        assertEquals("SUCCESS", send(MailBytes.to("bob", "delta.test").from("alice", "alpha.test")
                .body("to delta".getBytes(StandardCharsets.UTF_8))));
        Await.until(() -> count(betaAdmin, "bob") == before + 1, Duration.ofSeconds(90),
                "bob@delta.test got it through the second MX");
        Await.until(() -> queue(alphaAdmin).isEmpty(), Duration.ofSeconds(30), "alpha's queue empty");
        assertEquals("alice@alpha.test", messages(betaAdmin, "bob").getJsonObject(0).getString("sender"));
        // the relay went through the remote's POW 12 too
    }

    // --- a remote DELIVERYFAILURE: the sender gets a notice at once ---

    @Test
    @Order(3)
    void aRemoteDeliveryFailureSendsTheSenderANotice() throws Exception {
        int before = count(alphaAdmin, "alice");
        assertEquals("SUCCESS", send(MailBytes.to("nobody", "beta.test").from("alice", "alpha.test")
                .body(new byte[50])), "queued for relay");
        Await.until(() -> count(alphaAdmin, "alice") == before + 1, Duration.ofSeconds(90), "a notice for alice");
        PlaintextBody notice = notice(alphaAdmin, "alice", messages(alphaAdmin, "alice").getJsonObject(0));
        assertEquals("Undeliverable: message to nobody@beta.test", notice.subject());
        assertTrue(notice.text().contains("DELIVERYFAILURE"), notice.text());
        assertTrue(queue(alphaAdmin).isEmpty(), "nothing left in the queue: " + queue(alphaAdmin));
    }

    // --- backoff, queue lifetime, and no notice about a notice ---

    @Test
    @Order(4)
    void anUnreachableDomainIsRetriedWithDoublingBackoffUntilTheLifetimeThenTheSenderIsTold() throws Exception {
        int aliceBefore = count(alphaAdmin, "alice");
        // alice's message to an unreachable domain, and one from a sender of an unreachable domain to an
        // account beta does not have: beta refuses it, and alpha's notice to that sender cannot be delivered.
        assertEquals("SUCCESS", send(MailBytes.to("gina", "gamma.test").from("alice", "alpha.test").body(new byte[50])));
        assertEquals("SUCCESS", send(MailBytes.to("nobody", "beta.test").from("mallory", "gamma.test")
                .body(new byte[50])));

        // the backoff as the queue shows it: after the n-th failed attempt the next one is
        // RETRY_INITIAL * 2^(n-1) seconds later, at most RETRY_MAX
        List<String> seen = new ArrayList<>();
        int lastAttempts = 0;
        Instant deadline = Instant.now().plusSeconds(QUEUE_LIFETIME + 60);
        while (lastAttempts < 4 && Instant.now().isBefore(deadline)) {
            JsonObject gina = queued(alphaAdmin, "gina@gamma.test");
            Instant observed = Instant.now();
            if (gina == null) {
                break;
            }
            int attempts = gina.getInt("attempts");
            if (attempts > lastAttempts) {
                Duration wait = Duration.between(observed, Instant.parse(gina.getString("nextAttempt")));
                long expected = Math.min(RETRY_MAX, (long) RETRY_INITIAL << (attempts - 1));
                seen.add("after attempt " + attempts + ": next in " + wait.toMillis() + " ms, expected " + expected + " s");
                if (attempts == lastAttempts + 1) { // polled within the same wait: the next time is bounded
                    // at most `expected` (the attempt was before we looked), and not much less (we poll twice a
                    // second; an admin call on a loaded machine may take a few seconds)
                    assertTrue(wait.toMillis() <= expected * 1000 + 1000 && wait.toMillis() >= expected * 1000 - 5000,
                            "next attempt after attempt " + attempts + ": " + seen);
                }
                lastAttempts = attempts;
            }
            Thread.sleep(500); // polling interval: the condition is the changing attempt count
        }
        System.out.println("RelayPromisesIT backoff: " + seen);
        assertTrue(lastAttempts >= 4, "four attempts seen before the lifetime: " + seen);

        // past the lifetime: both are given up; alice gets a notice, mallory's notice is itself given up
        Await.until(() -> queue(alphaAdmin).isEmpty(), Duration.ofSeconds(QUEUE_LIFETIME + 90),
                "alpha gave up on everything");
        alpha.awaitLog("gave up on the message for mallory@gamma.test", 1, Duration.ofSeconds(30));
        Await.until(() -> count(alphaAdmin, "alice") == aliceBefore + 1, Duration.ofSeconds(30), "alice's notice");
        PlaintextBody notice = notice(alphaAdmin, "alice", messages(alphaAdmin, "alice").getJsonObject(0));
        assertEquals("Undeliverable: message to gina@gamma.test", notice.subject());
        assertTrue(notice.text().contains("not delivered within"), notice.text());

        // a notice about the failed notice would be queued (mallory is not ours) or stored; neither happened.
        // The notice was given up in the same round that emptied the queue: a later notice would be queued then.
        String log = alpha.log();
        assertEquals(1, occurrences(log, "gave up on the message for mallory@gamma.test"), log);
        assertTrue(queue(alphaAdmin).isEmpty(), "no notice about the notice was queued");
        assertEquals(aliceBefore + 1, count(alphaAdmin, "alice"));
    }

    // --- relayed MAIL to a domain whose key changed: held until the pin is forgotten ---

    @Test
    @Order(5)
    void mailToADomainWhoseKeyChangedIsHeldUntilThePinIsForgotten() throws Exception {
        String oldKey = HexFormat.of().formatHex(beta.serverKey());
        assertEquals(oldKey, pin("beta.test").getString("publicKey"), "pinned by the earlier relays");
        beta.close();
        // a new installation (its data directory made empty again) on the same MX port; a new HTTP port
        beta = server("relay-promises-beta", "beta.test,delta.test", BETA_HOST, MX_PORT, "pw-beta");
        servers.start(beta);
        betaAdmin = beta.admin();
        betaAdmin.createAccount("bob", "bob's password");
        String newKey = HexFormat.of().formatHex(beta.serverKey());
        assertNotEquals(oldKey, newKey, "a new installation, a new key");

        assertEquals("SUCCESS", send(MailBytes.to("bob", "beta.test").from("alice", "alpha.test")
                .body("held".getBytes(StandardCharsets.UTF_8))));
        Await.until(() -> {
            JsonObject held = queued(alphaAdmin, "bob@beta.test");
            return held != null && held.getInt("attempts") >= 2;
        }, Duration.ofSeconds(60), "two attempts refused for the changed key");
        JsonObject held = queued(alphaAdmin, "bob@beta.test");
        assertFalse(held.getString("lastError", "").isEmpty(), held.toString());
        assertEquals(0, count(betaAdmin, "bob"), "nothing reached the server with the new key");
        assertEquals(oldKey, pin("beta.test").getString("publicKey"), "the old pin stays");
        assertEquals(newKey, pin("beta.test").getString("offeredKey"), "the refused key is shown");

        assertEquals(204, alphaAdmin.delete("/api/known-servers/beta.test").status());
        assertEquals(204, alphaAdmin.postEmpty("/api/queue/" + held.getJsonNumber("id") + "/retry").status());
        Await.until(() -> count(betaAdmin, "bob") == 1, Duration.ofSeconds(60), "delivered once the pin was forgotten");
        Await.until(() -> queue(alphaAdmin).isEmpty(), Duration.ofSeconds(30), "alpha's queue empty");
        assertEquals(newKey, pin("beta.test").getString("publicKey"), "the new key is pinned now");
    }

    // --- helpers ---

    private static String send(MailBytes mail) throws Exception {
        byte[] alphaKey = alpha.serverKey();
        try (RawCmtpConnection cmtp = connectFromLoopback(alpha)) {
            cmtp.readText();
            cmtp.send(mail.command());
            return statusWord(cmtp, Blake2b.hash512(mail.message()), alphaKey);
        }
    }

    /** Reads a signed status of any word and checks its signature; the word. */
    private static String statusWord(RawCmtpConnection cmtp, byte[] context, byte[] key) throws Exception {
        byte[] version = cmtp.read(4);
        assertEquals(0, version[0] | version[1] | version[2] | version[3], "a status reply");
        String word = cmtp.readText();
        byte[] signature = cmtp.read(64);
        assertEquals(0, cmtp.read(1)[0]);
        byte[] wordBytes = word.getBytes(StandardCharsets.US_ASCII);
        assertTrue(org.cmtp.sodium.Libsodium.verifyDetached(signature, MailBytes.concat(wordBytes, context), key),
                "signed by the server");
        return word.substring(0, word.length() - 1);
    }

    /** From 127.0.0.1, the relay network of both servers. */
    private static RawCmtpConnection connectFromLoopback(LaunchedServer server) throws Exception {
        java.net.Socket socket = new java.net.Socket();
        socket.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        socket.connect(new java.net.InetSocketAddress(server.host(), server.cmtpPort()), 5000);
        return new RawCmtpConnection(socket);
    }

    private static JsonArray messages(AdminClient admin, String account) throws Exception {
        return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray();
    }

    private static int count(AdminClient admin, String account) {
        try {
            return messages(admin, account).size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static JsonArray queue(AdminClient admin) {
        try {
            return admin.get("/api/queue").json().asJsonArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject queued(AdminClient admin, String recipient) {
        return queue(admin).stream().map(JsonObject.class::cast)
                .filter(m -> m.getString("recipient").equals(recipient)).findFirst().orElse(null);
    }

    private static JsonObject pin(String domain) throws Exception {
        return alphaAdmin.get("/api/known-servers").json().asJsonArray().stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("domain").equals(domain)).findFirst().orElseThrow();
    }

    /** A notice as stored: version 0, from the server account (empty account), to the sender; its body. */
    private static PlaintextBody notice(AdminClient admin, String account, JsonObject listed) throws Exception {
        byte[] raw = admin.getBytes("/api/accounts/" + account + "/messages/" + listed.getJsonNumber("id") + "/raw");
        Message message = Message.decode(raw);
        assertEquals(Message.PLAINTEXT, message.version(), "a notice is plaintext");
        assertEquals("", message.source().account(), "from the server account");
        assertEquals("alpha.test", message.source().domain());
        assertEquals(account, message.destination().account());
        return PlaintextBody.decode(message.body());
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
