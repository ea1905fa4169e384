package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a {@code SUCCESS} receipt promises (PROTOCOL.md §6: "durably stored"), checked by
 * pulling the plug: several clients send MAIL for local accounts and for a foreign domain
 * whose server is down, the server is killed with {@code kill -9} at a random moment in the
 * middle of that, and restarted on the same data directory (H2, or its own PostgreSQL
 * database under {@code -Ppostgresql}). Afterwards every message that got a receipt is stored
 * exactly once and byte for byte; a message whose answer was cut off by the kill is stored
 * once or not at all, never twice nor in part; nothing else is stored. The relay queue
 * survives too: once the foreign domain's server is up, every queued message with a receipt
 * arrives there exactly once. Bodies of 128 KiB and more are kept as files (ADR 0019) on
 * either database, so their file-then-row order is pulled the plug on as well.
 *
 * <p>The moment of the kill comes from a seeded random; the seed is printed, and
 * {@code -Dcrash.seed=N} repeats the same choices (the timing of a shared machine varies).
 */
class CrashSafetyIT {

    private static final String HOME = "home.test";
    private static final String FAR = "far.test";
    /** far.test's own loopback address: the home server reaches it as another machine, not as 127.0.0.1. */
    private static final String FAR_HOST = "127.0.0.9";
    private static final List<String> LOCAL_ACCOUNTS = List.of("ann", "ben", "cid", "dot");
    private static final List<String> FAR_ACCOUNTS = List.of("fay", "gus");
    private static final int CLIENTS = 6;
    /** How much of the load is relayed to far.test. */
    private static final double RELAY_SHARE = 0.2;
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(120);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
    /** "2026-11-28T16:00:00Z home.test accepted from 127.0.0.1\n" (PROTOCOL.md §6). */
    private static final Pattern HOME_LINE = logLine(HOME);
    private static final Pattern FAR_LINE = logLine(FAR);

    private enum Outcome { SENDING, SUCCESS, UNKNOWN }

    /** One MAIL as the client sent it, and what it knows of its fate. */
    private static final class Sent {
        final String account;
        final String domain;
        final byte[] message;
        volatile Outcome outcome = Outcome.SENDING;

        Sent(String account, String domain, byte[] message) {
            this.account = account;
            this.domain = domain;
            this.message = message;
        }

        String describe() {
            return outcome + " " + message.length + " bytes to " + account + "@" + domain;
        }
    }

    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger localReceipts = new AtomicInteger();
    private final AtomicInteger relayReceipts = new AtomicInteger();
    private volatile boolean killed;

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    @Test
    void everyReceiptedMessageSurvivesKillNineExactlyOnceAndTheRelayQueueResumes() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashSafetyIT seed " + seed + " (repeat with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        // Receipts to wait for before the kill, then a further random delay while the load goes on.
        int localBeforeKill = 30 + random.nextInt(90);
        int relayBeforeKill = 3 + random.nextInt(5);
        long killDelayMillis = random.nextInt(1500);

        LaunchedServer far = servers.newServer("crash-far", FAR_HOST, FreePorts.take(), FAR, "pw-far");
        LaunchedServer home = homeServer(far);
        servers.start(home);
        AdminClient homeAdmin = home.admin();
        for (String account : LOCAL_ACCOUNTS) {
            homeAdmin.createAccount(account, account + "'s password");
        }
        byte[] serverKey = home.serverKey();

        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            long clientSeed = random.nextLong();
            Thread client = new Thread(() -> sendUntilKilled(home, serverKey, new Random(clientSeed)),
                    "crash-client-" + i);
            client.start();
            clients.add(client);
        }
        awaitReceipts(localBeforeKill, relayBeforeKill);
        Thread.sleep(killDelayMillis);
        // Set before the kill: from now on a broken connection is the kill, not a failure.
        killed = true;
        home.kill();
        for (Thread client : clients) {
            client.join(60_000);
            assertTrue(!client.isAlive(), client.getName() + " ended after the kill");
        }
        assertTrue(unexpected.isEmpty(), "unexpected answers or errors before the kill: " + unexpected);
        System.out.println("CrashSafetyIT killed after " + killDelayMillis + " ms past " + localBeforeKill
                + " local and " + relayBeforeKill + " relay receipts: " + summary());
        assertEquals(CLIENTS, sent.stream().filter(s -> s.outcome == Outcome.UNKNOWN).count(),
                "the kill cut off one MAIL in flight on every connection");
        assertTrue(sent.stream().noneMatch(s -> s.outcome == Outcome.SENDING), "every client recorded its outcome");

        // The foreign domain comes up first, with its accounts, so that the queue meets a
        // ready server the moment it resumes (a missing account would be a refusal).
        servers.start(far);
        AdminClient farAdmin = far.admin();
        for (String account : FAR_ACCOUNTS) {
            farAdmin.createAccount(account, account + "'s password");
        }

        servers.start(home); // again, on the data directory kill -9 left
        homeAdmin = home.admin();
        assertArrayEquals(serverKey, home.serverKey(), "same server key");
        checkMailboxes(homeAdmin, HOME, LOCAL_ACCOUNTS, List.of(HOME_LINE));

        awaitEmptyQueue(homeAdmin);
        java.util.regex.Matcher released = Pattern.compile("released (\\d+) message").matcher(home.log()); // since the restart
        System.out.println("CrashSafetyIT claims of the killed run released at the restart: "
                + (released.find() ? released.group(1) : "none"));
        checkMailboxes(farAdmin, FAR, FAR_ACCOUNTS, List.of(HOME_LINE, FAR_LINE));
    }

    private static LaunchedServer homeServer(LaunchedServer far) throws IOException {
        LaunchedServer home = servers.newServer("crash-home", HOME, "pw-home");
        return home
                // far.test's server: down during the load, so its mail waits in the queue
                .with("CMTP_ROUTES", FAR + "=" + far.host() + ":" + far.cmtpPort())
                // short backoff, so that the queue resumes within the test's time
                .with("CMTP_RETRY_INITIAL", "1")
                .with("CMTP_RETRY_MAX", "3")
                // the largest MAIL of the load must arrive well within it on a busy machine
                .with("CMTP_MESSAGE_TIMEOUT", "60")
                .with("CMTP_IDLE_TIMEOUT", "60")
                // the few-hundred-KiB messages go to body files (ADR 0019), on PostgreSQL too
                .with("CMTP_BODY_DIR", home.dataDir().resolve("bodies").toString());
    }

    /** One client: MAIL after MAIL on one connection until the server dies under it. */
    private void sendUntilKilled(LaunchedServer server, byte[] serverKey, Random random) {
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.setReadTimeout(60_000);
            cmtp.readText();
            // No look at the kill flag here: a client stops only when the server breaks the
            // connection, so every client has a MAIL in flight at the kill.
            while (true) {
                Sent mail = nextMail(random);
                sent.add(mail);
                try {
                    cmtp.send(MailBytes.concat("MAIL\0".getBytes(StandardCharsets.US_ASCII), mail.message,
                            MailBytes.ZERO_PROOF_OF_WORK));
                    Replies.expectStatus(cmtp, "SUCCESS", Libsodium.genericHash(64, mail.message), serverKey);
                } catch (IOException e) {
                    mail.outcome = Outcome.UNKNOWN;
                    if (!killed) {
                        unexpected.add(mail.describe() + ": " + e);
                    }
                    return;
                }
                mail.outcome = Outcome.SUCCESS;
                (FAR.equals(mail.domain) ? relayReceipts : localReceipts).incrementAndGet();
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            unexpected.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    /**
     * Mixed sizes: mostly small, some tens of KiB, a few hundred KiB (these take longest on
     * the wire, so the kill often lands inside one); some with attachments. A counter-free
     * random body makes every message unique.
     */
    private static Sent nextMail(Random random) {
        boolean relay = random.nextDouble() < RELAY_SHARE;
        List<String> accounts = relay ? FAR_ACCOUNTS : LOCAL_ACCOUNTS;
        String account = accounts.get(random.nextInt(accounts.size()));
        String domain = relay ? FAR : HOME;
        int roll = random.nextInt(100);
        int size = roll < 70 ? 64 + random.nextInt(4 * 1024)
                : roll < 94 ? 4 * 1024 + random.nextInt(60 * 1024)
                : 128 * 1024 + random.nextInt(300 * 1024);
        MailBytes mail = MailBytes.to(account, domain).from("sender" + random.nextInt(3), "elsewhere.test")
                .body(randomBytes(random, size));
        if (random.nextInt(4) == 0) {
            mail.attachment(randomBytes(random, 1 + random.nextInt(8 * 1024)));
        }
        return new Sent(account, domain, mail.message());
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private void awaitReceipts(int local, int relay) throws InterruptedException {
        Instant deadline = Instant.now().plus(LOAD_LIMIT);
        while (localReceipts.get() < local || relayReceipts.get() < relay) {
            if (!unexpected.isEmpty()) {
                fail("a client failed before the kill: " + unexpected);
            }
            if (Instant.now().isAfter(deadline)) {
                fail("only " + localReceipts + " local and " + relayReceipts + " relay receipts within " + LOAD_LIMIT);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Every stored message of {@code accounts} must be one that was sent to that account,
     * byte for byte apart from the log lines the servers appended ({@code lines}, in order);
     * a receipted one exactly once, one cut off by the kill at most once.
     */
    private void checkMailboxes(AdminClient admin, String domain, List<String> accounts, List<Pattern> lines)
            throws Exception {
        Map<String, Sent> byDigest = new HashMap<>();
        for (Sent mail : sent) {
            if (mail.domain.equals(domain)) {
                byDigest.put(digest(mail.message), mail);
            }
        }
        Map<Sent, Integer> stored = new HashMap<>();
        for (String account : accounts) {
            for (int first = 0; ; first += 1000) {
                JsonArray page = admin.get("/api/accounts/" + account + "/messages?first=" + first + "&max=1000")
                        .json().asJsonArray();
                for (JsonValue summary : page) {
                    long id = summary.asJsonObject().getJsonNumber("id").longValue();
                    byte[] raw = admin.getBytes("/api/accounts/" + account + "/messages/" + id + "/raw");
                    byte[] original = withoutLog(raw, lines, account + " message " + id);
                    Sent mail = byDigest.get(digest(original));
                    assertNotNull(mail, account + " message " + id + " (" + raw.length
                            + " bytes) is none of the messages sent: stored half, or garbage");
                    assertEquals(account, mail.account, "message " + id + " is in the mailbox it was sent to");
                    assertArrayEquals(mail.message, original, "message " + id + " byte for byte");
                    stored.merge(mail, 1, Integer::sum);
                }
                if (page.size() < 1000) {
                    break;
                }
            }
        }
        int receipted = 0;
        int cutOffStored = 0;
        for (Sent mail : byDigest.values()) {
            int times = stored.getOrDefault(mail, 0);
            if (mail.outcome == Outcome.SUCCESS) {
                receipted++;
                assertEquals(1, times, "a message with a SUCCESS receipt is stored exactly once at " + domain
                        + ": " + mail.describe());
            } else {
                assertTrue(times <= 1, "a message cut off by the kill is stored at most once at " + domain
                        + ": " + mail.describe() + ", stored " + times + " times");
                cutOffStored += times;
            }
        }
        System.out.println("CrashSafetyIT " + domain + ": all " + receipted + " receipted messages stored once; "
                + cutOffStored + " of the cut-off ones stored too");
    }

    /**
     * The message as the client sent it: the stored one minus the log (sent empty), after
     * checking the log is exactly the expected lines. Fails on anything that does not parse.
     */
    private static byte[] withoutLog(byte[] stored, List<Pattern> lines, String what) {
        assertTrue(stored.length >= 24 + 4, what + " is shorter than a message header");
        ByteBuffer header = ByteBuffer.wrap(stored);
        long logLength = header.getLong(8);
        int position = 24;
        for (int field = 0; field < 4; field++) {
            while (position < stored.length && stored[position] != 0) {
                position++;
            }
            position++;
        }
        assertTrue(logLength >= 0 && position + logLength <= stored.length, what + ": log length " + logLength
                + " beyond the stored " + stored.length + " bytes");
        String log = new String(stored, position, (int) logLength, StandardCharsets.UTF_8);
        String[] logLines = log.split("(?<=\n)");
        assertEquals(lines.size(), logLines.length, what + ": log lines " + log);
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).matcher(logLines[i]).matches(), what + ": log line " + logLines[i]);
        }
        return MailBytes.concat(Arrays.copyOfRange(stored, 0, 8), new byte[8], Arrays.copyOfRange(stored, 16, position),
                Arrays.copyOfRange(stored, position + (int) logLength, stored.length));
    }

    /**
     * Waits until the home server's relay queue is empty, on its own: no operator retry. The
     * killed server's relay worker may have held leases on some messages (ten minutes,
     * ADR 0005); the restarted instance must release them (ADR 0009), not wait them out.
     */
    private static void awaitEmptyQueue(AdminClient admin) throws Exception {
        Instant started = Instant.now();
        while (true) {
            JsonArray queue = admin.get("/api/queue?max=1000").json().asJsonArray();
            if (queue.isEmpty()) {
                System.out.println("CrashSafetyIT relay queue drained in "
                        + Duration.between(started, Instant.now()).toSeconds() + " s");
                return;
            }
            if (Duration.between(started, Instant.now()).compareTo(DRAIN_LIMIT) > 0) {
                fail("the relay queue did not drain within " + DRAIN_LIMIT + ": " + queue);
            }
            Thread.sleep(500);
        }
    }

    private String summary() {
        Map<String, Integer> counts = new HashMap<>();
        for (Sent mail : sent) {
            counts.merge(mail.outcome + (FAR.equals(mail.domain) ? " relay" : " local"), 1, Integer::sum);
        }
        return counts.toString();
    }

    private static Pattern logLine(String domain) {
        return Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ " + Pattern.quote(domain)
                + " accepted from \\S+\n");
    }

    private static String digest(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
