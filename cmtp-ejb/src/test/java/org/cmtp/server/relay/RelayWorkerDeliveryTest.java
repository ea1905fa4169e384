package org.cmtp.server.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicLong;

import org.cmtp.client.ScriptedServer;
import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Signatures;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyEncoder;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.protocol.TextReply;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.federation.ScriptedRemoteServers;
import org.cmtp.server.mailbox.Mailbox;
import org.cmtp.server.mailbox.StoredMessage;
import org.cmtp.server.metrics.CommittingTrafficHours;
import org.cmtp.server.metrics.HourlyTraffic;
import org.cmtp.server.metrics.MessageEvent;
import org.cmtp.server.metrics.RecentEvents;
import org.cmtp.server.metrics.ServerMeters;
import org.cmtp.server.metrics.TrafficRecorder;
import org.cmtp.server.schema.SchemaMigrations;
import org.cmtp.server.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the relay worker does with each answer of another domain (PROTOCOL.md §7): delivered
 * messages leave the queue; a refusal ({@code DELIVERYFAILURE}) sends the sender a delivery
 * notice at once; anything else is retried with a backoff that doubles up to
 * {@code cmtp.retry-max}, until the queue lifetime is over and the sender gets a notice;
 * and a notice about a notice is never sent, whether the notice was refused or timed out.
 *
 * <p>Real parts: the worker with its delivery threads, the {@link RelayQueue} on H2 (the
 * test persistence unit {@code cmtp-contract}, schema made by the server's migrations, each
 * call committed on its own as the container does), {@link DeliveryNotices}, and the remote
 * side: a scripted CMTP server on a loopback socket that signs its answers, talked to by the
 * real client, whose receipts the worker checks. Stood in for: the remote side's DNS, pins
 * and dial policy ({@link ScriptedRemoteServers}, a fake of {@code RemoteServers}: those
 * need the whole server and are tested by FederationIT and RelayPromisesIT), the mailbox of
 * the local sender (a recording {@link Mailbox}), and the clock, which the test moves on
 * instead of waiting for backoffs and the queue lifetime.
 */
class RelayWorkerDeliveryTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration LIFETIME = Duration.ofHours(1);

    @TempDir
    Path dir;

    private EntityManagerFactory factory;
    private final MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final ScriptedRemoteServers remote = new ScriptedRemoteServers();
    private final RecordingMailbox mailbox = new RecordingMailbox();
    private final Ed25519KeyPair remoteKeys = Ed25519KeyPair.generate(RANDOM);
    /** What the remote server answers to MAIL. */
    private volatile StatusWord mailAnswer = StatusWord.SUCCESS;
    private ScriptedServer server;
    private RelayQueue queue;
    private RelayWorker worker;
    /** What the console's dashboard and {@code GET /api/stats} are told. */
    private HourlyTraffic hours;
    private final RecentEvents recent = new RecentEvents(10, clock);

    @BeforeEach
    void start() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("relay");
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            SchemaMigrations.migrate(c);
        }
        factory = Persistence.createEntityManagerFactory("cmtp-contract", Map.of("jakarta.persistence.jdbc.url", url,
                "jakarta.persistence.jdbc.user", "", "jakarta.persistence.jdbc.password", ""));
        queue = new CommittingRelayQueue(factory);
        CmtpConfiguration configuration = CmtpConfiguration.from(key -> Optional.ofNullable(Map.of(
                "cmtp.domain", "a.test",
                "cmtp.retry-initial", "60",
                "cmtp.retry-max", "150",
                "cmtp.queue-lifetime", String.valueOf(LIFETIME.toSeconds()),
                "cmtp.relay-parallelism", "2").get(key)));
        DeliveryNotices notices = new DeliveryNotices(queue, new OneAccount("alice"), mailbox, configuration);
        hours = new HourlyTraffic(new CommittingTrafficHours(factory), clock);
        ServerMeters meters = new ServerMeters();
        worker = new RelayWorker(queue, notices, remote, null, configuration, meters,
                new TrafficRecorder(meters, hours, recent), new Threads(), clock);
        worker.start();
        server = new ScriptedServer(this::answer);
    }

    @AfterEach
    void stop() throws Exception {
        if (worker != null) {
            worker.stop();
        }
        if (server != null) {
            server.close();
        }
        if (factory != null) {
            factory.close();
        }
    }

    @Test
    void aDeliveredMessageLeavesTheQueueWithoutANotice() throws Exception {
        remote.answerAt(server.address());
        byte[] raw = message("alice@a.test", "bob@b.test");
        long id = enqueue(raw, "alice@a.test", "bob@b.test", false);

        round();

        assertTrue(queue.find(id).isEmpty(), "delivered: out of the queue");
        Command.Mail sent = (Command.Mail) server.received.stream().filter(c -> c instanceof Command.Mail)
                .findFirst().orElseThrow();
        assertArrayEquals(raw, sent.rawMessage(), "sent byte for byte");
        assertEquals(List.of(), mailbox.stored, "no notice");
        assertEquals(List.of(new RecentEvents.Entry(clock.instant(), MessageEvent.RELAYED, "alice@a.test", "bob@b.test",
                null)), recent.latest(), "shown as relayed");
        assertEquals(1L, hours.totals().get(MessageEvent.RELAYED), "counted");
    }

    @Test
    void failedAttemptsAreRetriedWithDoublingBackoffAndTheSenderIsToldWhenTheQueueLifetimeIsOver() throws Exception {
        Instant queued = clock.instant();
        long id = enqueue("alice@a.test", "bob@b.test", false);

        remote.answerAt(null); // nobody answers
        round();
        QueuedMessage first = queue.find(id).orElseThrow();
        assertEquals(1, first.getAttempts());
        assertEquals(queued.plusSeconds(60), first.getNextAttempt(), "retry-initial");
        assertTrue(first.getLastError().contains("timed out"), first.getLastError());

        round();
        assertEquals(1, queue.find(id).orElseThrow().getAttempts(), "not due before its next attempt");
        assertEquals(1, remote.attempts.size(), "and not tried");

        clock.set(queued.plusSeconds(60));
        round();
        assertEquals(queued.plusSeconds(60 + 120), queue.find(id).orElseThrow().getNextAttempt(), "twice as long");

        clock.set(queued.plusSeconds(180));
        remote.answerAt(server.address());
        mailAnswer = StatusWord.FAILURE; // the server answers, but cannot take it now
        round();
        QueuedMessage third = queue.find(id).orElseThrow();
        assertEquals(3, third.getAttempts());
        assertEquals(queued.plusSeconds(180 + 150), third.getNextAttempt(), "capped at retry-max, not 240 s");
        assertEquals("the server of b.test answered FAILURE", third.getLastError());
        assertEquals(List.of(), mailbox.stored, "no notice while it is retried");

        clock.set(queued.plus(LIFETIME).plusSeconds(1));
        round();
        assertTrue(queue.find(id).isEmpty(), "given up after the queue lifetime");
        PlaintextBody notice = onlyNoticeTo("alice");
        assertEquals("Undeliverable: message to bob@b.test", notice.subject());
        assertTrue(notice.text().contains("Reason: not delivered within PT1H; last error: the server of b.test"
                + " answered FAILURE"), notice.text());
        assertTrue(notice.text().contains("Attempts: 3"), notice.text());
    }

    @Test
    void aRefusalSendsTheNoticeAtOnce() throws Exception {
        remote.answerAt(server.address());
        mailAnswer = StatusWord.DELIVERYFAILURE;
        long id = enqueue("alice@a.test", "nobody@b.test", false);

        round();

        assertTrue(queue.find(id).isEmpty(), "refused: not retried");
        PlaintextBody notice = onlyNoticeTo("alice");
        assertEquals("Undeliverable: message to nobody@b.test", notice.subject());
        assertTrue(notice.text().contains("Reason: the server of b.test refused it (DELIVERYFAILURE"), notice.text());
        RecentEvents.Entry failed = recent.latest().get(0);
        assertEquals(MessageEvent.FAILED, failed.event(), "shown as failed");
        assertEquals("nobody@b.test", failed.recipient());
        assertTrue(failed.detail().contains("refused it (DELIVERYFAILURE"), failed.detail());
        assertEquals(1L, hours.totals().get(MessageEvent.FAILED), "counted");
    }

    @Test
    void aNoticeAboutANoticeIsNeverSent() throws Exception {
        remote.answerAt(server.address());
        mailAnswer = StatusWord.DELIVERYFAILURE;
        // carol of c.test sent through this server (a relay client) to a b.test account that does not exist
        long original = enqueue("carol@c.test", "nobody@b.test", false);
        round();
        assertTrue(queue.find(original).isEmpty());
        List<QueuedMessage> queued = queue.list(0, 10);
        assertEquals(1, queued.size(), "the notice to carol, queued for c.test");
        QueuedMessage notice = queued.get(0);
        assertEquals("carol@c.test", notice.recipient());
        assertTrue(notice.isNotice());
        Message sealed = Message.decode(queue.content(notice.getId()));
        assertEquals(Message.PLAINTEXT, sealed.version());
        assertEquals(MailAddress.server("a.test"), sealed.source(), "from this server's account");

        clock.set(notice.getNextAttempt().plusSeconds(1)); // refused by c.test too
        round();
        assertTrue(queue.find(notice.getId()).isEmpty(), "the refused notice is dropped");
        assertEquals(0, queue.depth(), "and no notice about it is queued");

        // a notice that times out is dropped the same way
        long another = enqueue("dave@d.test", "nobody@b.test", false);
        round();
        assertTrue(queue.find(another).isEmpty());
        QueuedMessage second = queue.list(0, 10).get(0);
        assertTrue(second.isNotice());
        remote.answerAt(null);
        clock.set(second.getQueued().plus(LIFETIME).plusSeconds(1));
        round();
        assertEquals(0, queue.depth(), "given up after the queue lifetime, with no notice about it");
        assertEquals(List.of(), mailbox.stored, "nothing for the local mailboxes either");

        // Notices come from the server account, which has nobody to tell; the queue's notice
        // flag holds all the same, whatever the sender
        remote.answerAt(server.address());
        long flagged = enqueue("erin@e.test", "nobody@b.test", true);
        round();
        assertTrue(queue.find(flagged).isEmpty());
        assertEquals(0, queue.depth(), "no notice about a message flagged as a notice");
    }

    /** The remote server, honest, with its signed answer to MAIL set by the test. */
    private byte[] answer(Command command) {
        Reply reply;
        if (command instanceof Command.Ohai) {
            reply = new TextReply("HAI!!! :3\nSIZE 100000\n");
        } else if (command instanceof Command.KeyRequest request && request.isForServer()) {
            reply = new KeyReply(remoteKeys.publicKey(), Signatures.sign(remoteKeys, remoteKeys.publicKey()));
        } else if (command instanceof Command.Mail mail) {
            reply = new SignedStatus(mailAnswer, Signatures.sign(remoteKeys,
                    SignedStatus.bytesToSign(mailAnswer, Blake2b.hash512(mail.rawMessage()))));
        } else {
            return null;
        }
        return ReplyEncoder.encode(reply);
    }

    /** One round of the worker, and the deliveries it started, to their end. */
    private void round() throws InterruptedException {
        worker.deliverDue();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!worker.idle()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the relay round did not end within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private PlaintextBody onlyNoticeTo(String account) throws Exception {
        assertEquals(1, mailbox.stored.size(), "one notice stored");
        StoredMessage stored = mailbox.stored.get(0);
        assertEquals(account, stored.getAccount().getName());
        Message notice = Message.decode(stored.getContent());
        assertEquals(Message.PLAINTEXT, notice.version(), "a notice is plaintext (version 0)");
        assertEquals(MailAddress.server("a.test"), notice.source(), "from this server's account");
        assertEquals(new MailAddress(account, "a.test"), notice.destination());
        return PlaintextBody.decode(notice.body());
    }

    /** A sealed message from {@code from} to {@code to}, queued now. */
    private long enqueue(String from, String to, boolean notice) {
        return enqueue(message(from, to), from, to, notice);
    }

    private long enqueue(byte[] raw, String from, String to, boolean notice) {
        MailAddress recipient = address(to);
        return queue.enqueue(new QueuedMessage(raw, from, recipient.account(), recipient.domain(), clock.instant(), notice));
    }

    private static byte[] message(String from, String to) {
        byte[] sealed = new byte[200];
        RANDOM.nextBytes(sealed);
        return new Message(1, address(to), address(from), "", sealed, List.of()).encode();
    }

    private static MailAddress address(String address) {
        int at = address.lastIndexOf('@');
        return new MailAddress(address.substring(0, at), address.substring(at + 1));
    }

    /** The local accounts: one. */
    static final class OneAccount extends AccountService {
        private final Account account;

        OneAccount(String name) {
            account = new Account(name, Ed25519KeyPair.generate(RANDOM).publicKey(), new byte[0], Instant.now());
        }

        @Override
        public Optional<Account> find(String name) {
            return account.getName().equals(name) ? Optional.of(account) : Optional.empty();
        }
    }

    /** The local mailboxes: what is stored, in order. */
    static final class RecordingMailbox extends Mailbox {
        final List<StoredMessage> stored = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong ids = new AtomicLong(1);

        @Override
        public long store(StoredMessage message) {
            stored.add(message);
            return ids.getAndIncrement();
        }
    }

    /** The container's thread factory, outside one: daemon threads. */
    static final class Threads implements ManagedThreadFactory {
        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "relay-delivery-test");
            thread.setDaemon(true);
            return thread;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            return ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        }
    }
}
