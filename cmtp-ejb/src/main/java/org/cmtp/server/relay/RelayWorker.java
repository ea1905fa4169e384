package org.cmtp.server.relay;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Schedule;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.client.CmtpClient;
import org.cmtp.message.Message;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.metrics.MessageLog;
import org.cmtp.server.metrics.MessageEvent;
import org.cmtp.server.metrics.ServerMeters;
import org.cmtp.server.metrics.TrafficRecorder;
import org.cmtp.server.federation.RemoteDomainException;
import org.cmtp.server.federation.RemoteServers;
import org.cmtp.server.federation.ServerKeyChangedException;
import org.cmtp.server.smtp.SmtpRelay;

/**
 * Delivers queued messages to other domains. Every few seconds it claims the due
 * messages batch after batch until none is left (a lease, so workers on other instances
 * take others), sends them to the destination's MX hosts in order (one connection per
 * domain and batch), and records each outcome: delivered → out of the queue; refused by
 * the remote server → a delivery notice to the sender at once; anything else → retried
 * with exponential backoff until the queue lifetime is over. A domain with no CMTP server
 * gets its plaintext messages over SMTP ({@link SmtpRelay}, ADR 0028), never a sealed one.
 *
 * <p>Domains are delivered to in parallel, on up to {@code cmtp.relay-parallelism} threads
 * of this worker, one domain per thread at a time: a domain whose servers hang (trickle,
 * never read, ask for an absurd proof of work) holds one thread until
 * {@code cmtp.delivery-deadline}, never the others. Its messages are then retried with
 * backoff like any failed attempt.
 *
 * <p>A message is removed only after the remote receipt was checked; a crash in
 * between means it is sent again when this instance restarts (it releases its own old
 * claims) or, by another instance, after the lease runs out: at worst twice, never lost.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator") // the schema is current before this bean reads it
@Lock(LockType.READ)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RelayWorker {

    private static final Logger LOG = Logger.getLogger(RelayWorker.class.getName());
    private static final int BATCH = 20;
    /** The LEASE_OWNER column's length. */
    static final int MAX_OWNER_LENGTH = 100;

    @EJB
    private RelayQueue queue;
    @EJB
    private DeliveryNotices notices;
    @Inject
    private RemoteServers remote;
    @Inject
    private SmtpRelay smtp;
    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private ServerMeters meters;
    @Inject
    private TrafficRecorder traffic;

    /** Container-managed threads (they may call EJBs), for this worker's own bounded pool. */
    @Resource
    private ManagedThreadFactory threadFactory;
    /** What "now" is for due times, leases, backoff and the queue lifetime. */
    private Clock clock = Clock.systemUTC();

    /** For the container, which injects the collaborators. */
    public RelayWorker() {
    }

    /**
     * Outside a container (RelayWorkerDeliveryTest): the worker over the given collaborators,
     * its delivery threads from {@code threadFactory}, its time from {@code clock}. Call
     * {@link #start()} before the first round, as the container does.
     */
    RelayWorker(RelayQueue queue, DeliveryNotices notices, RemoteServers remote, SmtpRelay smtp,
            CmtpConfiguration configuration, ServerMeters meters, TrafficRecorder traffic,
            ManagedThreadFactory threadFactory, Clock clock) {
        this.queue = queue;
        this.notices = notices;
        this.remote = remote;
        this.smtp = smtp;
        this.configuration = configuration;
        this.meters = meters;
        this.traffic = traffic;
        this.threadFactory = threadFactory;
        this.clock = clock;
    }

    private final AtomicBoolean running = new AtomicBoolean();
    private String workerId;
    private volatile Instant lastRun;
    /** One delivery thread per domain being delivered to; as many domains at once as there are threads. */
    private ThreadPoolExecutor deliveries;
    private Semaphore freeThreads;
    /** The domains this worker's threads are delivering to now: not claimed again until they are done. */
    private final Set<String> busyDomains = ConcurrentHashMap.newKeySet();

    /** Makes the delivery threads (none run until there is work) and releases the previous run's claims. */
    @PostConstruct
    void start() {
        int threads = configuration.relayParallelism();
        deliveries = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threadFactory);
        deliveries.allowCoreThreadTimeOut(true);
        freeThreads = new Semaphore(threads);
        releaseClaimsOfPreviousRun();
    }

    @PreDestroy
    void stop() {
        // No interrupts: a thread interrupted inside a database call can make H2 close its file.
        // What is still in flight is claimed again after the restart or the lease.
        deliveries.shutdown();
    }

    /**
     * Takes this instance's name as the lease owner and releases what a previous run of the
     * same instance still holds: that run is dead (no two running instances share a name),
     * and without this its claims would hold up to {@value #BATCH} messages for the whole
     * lease after a crash (ADR 0009).
     */
    private void releaseClaimsOfPreviousRun() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
        workerId = instanceName(runtime.substring(runtime.indexOf('@') + 1),
                configuration.bindAddress().getHostAddress(), configuration.port());
        // Logged so that an operator can tell the instances' leases apart in the queue.
        LOG.info("CMTP relay worker " + workerId + " (lease " + configuration.relayLeaseSeconds() + " s)");
        try {
            int released = queue.releaseLeasesOf(workerId);
            if (released > 0) {
                LOG.info(() -> "CMTP relay worker " + workerId + " released " + released
                        + " message(s) its previous run had claimed when it stopped");
            }
        } catch (RuntimeException e) {
            // Not worth failing the deployment for: those leases still run out by themselves.
            LOG.log(Level.WARNING, "CMTP relay worker " + workerId + " could not release its previous run's claims", e);
        }
    }

    /** This worker's name, recorded as the lease owner of the messages it claimed. */
    public String workerId() {
        return workerId;
    }

    /**
     * The instance as the lease owner: host name, CMTP bind address and port, which two
     * running instances cannot share (they could not both listen there), and which stay the
     * same across restarts. A long host name is cut short to fit the column.
     */
    static String instanceName(String host, String bind, int port) {
        String listener = "/" + bind + ":" + port;
        int room = MAX_OWNER_LENGTH - listener.length();
        return (host.length() > room ? host.substring(0, Math.max(0, room)) : host) + listener;
    }

    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    public void deliverDue() {
        if (!running.compareAndSet(false, true)) {
            return; // the previous round is still delivering
        }
        try {
            // Batch after batch until nothing more is due or every delivery thread is busy:
            // one batch per round capped the relay at BATCH messages per 5 s
            // (docs/BENCHMARKS.md). Domains being delivered to are not claimed again; their
            // threads claim their next batches themselves.
            List<Long> claimed;
            boolean allStarted;
            do {
                if (freeThreads.availablePermits() == 0) {
                    break; // the next round looks again
                }
                Instant now = clock.instant();
                claimed = queue.claimDue(workerId, now, now.plusSeconds(configuration.relayLeaseSeconds()), BATCH,
                        null, Set.copyOf(busyDomains));
                allStarted = deliver(claimed);
            } while (allStarted && claimed.size() == BATCH);
            lastRun = clock.instant();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "CMTP relay round failed", e);
        } finally {
            running.set(false);
        }
    }

    /** Whether no delivery is under way: no round running and every delivery thread free (tests wait for it). */
    boolean idle() {
        return !running.get() && freeThreads.availablePermits() == deliveries.getMaximumPoolSize();
    }

    /** When the worker last finished a round: the health check reads it. */
    public Instant lastRun() {
        return lastRun;
    }

    /**
     * Hands the claimed messages, by destination domain, to the delivery threads. When all
     * threads are busy, the claims of the domains left over are given back unused, for the
     * next round: the round itself never waits for a remote server.
     *
     * @return whether every domain got a thread
     */
    private boolean deliver(List<Long> ids) {
        Map<String, List<QueuedMessage>> byDomain = new LinkedHashMap<>();
        for (long id : ids) {
            // empty when deleted by the operator meanwhile
            queue.find(id).ifPresent(m -> byDomain.computeIfAbsent(m.getRecipientDomain(), d -> new ArrayList<>()).add(m));
        }
        boolean allStarted = true;
        for (Map.Entry<String, List<QueuedMessage>> domain : byDomain.entrySet()) {
            if (!allStarted || !freeThreads.tryAcquire()) {
                allStarted = false;
                domain.getValue().forEach(m -> queue.release(m.getId(), workerId));
                continue;
            }
            busyDomains.add(domain.getKey());
            try {
                deliveries.execute(() -> deliverToDomain(domain.getKey(), domain.getValue()));
            } catch (RejectedExecutionException e) { // shutting down: the leases run out, or the restart releases them
                busyDomains.remove(domain.getKey());
                freeThreads.release();
                throw e;
            }
        }
        return allStarted;
    }

    /**
     * On a delivery thread: the batch, then the domain's further due messages batch by batch
     * (one connection per batch), until none is due or an attempt failed.
     */
    private void deliverToDomain(String domain, List<QueuedMessage> firstBatch) {
        try {
            List<QueuedMessage> batch = firstBatch;
            while (attempt(domain, batch) && batch.size() == BATCH) {
                Instant now = clock.instant();
                batch = queue.claimDue(workerId, now, now.plusSeconds(configuration.relayLeaseSeconds()), BATCH, domain,
                        Set.of()).stream().map(queue::find).flatMap(Optional::stream).toList();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "CMTP relay to " + domain + " failed", e);
        } finally {
            busyDomains.remove(domain);
            freeThreads.release();
        }
    }

    /**
     * Delivers messages over one connection to the domain: a new connection (greeting, key
     * check, pin lookup) for every message was most of the relay's time (docs/BENCHMARKS.md).
     * Outcomes are recorded message by message; if the connection fails, the messages not
     * yet answered go to the domain's next server, and when none is left (or the attempt's
     * deadline passed), are retried later.
     *
     * @return whether the attempt reached a server (false: all were retried later)
     */
    private boolean attempt(String domain, List<QueuedMessage> messages) {
        Deque<QueuedMessage> pending = new ArrayDeque<>(messages);
        try {
            remote.deliver(domain, (client, serverKey, nextMessage) -> {
                // Each message answered on this connection gives the next one the whole
                // cmtp.delivery-deadline; a server that hangs never gets a second one.
                boolean first = true;
                while (!pending.isEmpty()) {
                    if (!first) {
                        nextMessage.run();
                    }
                    first = false;
                    send(pending.peek(), client, serverKey);
                    pending.poll();
                }
                return null;
            });
            return true;
        } catch (RemoteDomainException e) {
            if (e.noCmtpServer()) {
                return overSmtp(domain, pending, e.getMessage());
            }
            pending.forEach(m -> retryLater(m, e.getMessage()));
        } catch (ServerKeyChangedException e) {
            pending.forEach(m -> retryLater(m, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP relay to " + domain + " failed", e);
            pending.forEach(m -> retryLater(m, e.toString()));
        }
        return false;
    }

    /**
     * The domain has no CMTP server (ADR 0028): its plaintext messages, which their senders
     * chose to send in the clear, go over SMTP; a sealed one is never sent there. It stays
     * queued, in case the domain gets a CMTP server, and is bounced to its sender at the end
     * of the queue lifetime like any undeliverable message.
     *
     * @return whether a server took any message (false: all were retried later)
     */
    private boolean overSmtp(String domain, Deque<QueuedMessage> pending, String noCmtp) {
        List<QueuedMessage> plaintext = new ArrayList<>();
        for (QueuedMessage message : pending) {
            if (isPlaintext(message)) {
                plaintext.add(message);
            } else {
                retryLater(message, noCmtp + "; a sealed message is never sent over SMTP");
            }
        }
        if (plaintext.isEmpty()) {
            return false;
        }
        AtomicBoolean anyTaken = new AtomicBoolean();
        smtp.deliver(domain, plaintext, new SmtpRelay.Outcomes<QueuedMessage>() {
            @Override
            public Optional<byte[]> claim(QueuedMessage message) {
                return renewLease(message) ? Optional.of(queue.content(message.getId())) : Optional.empty();
            }

            @Override
            public void delivered(QueuedMessage message, long size, String host) {
                anyTaken.set(true);
                RelayWorker.this.delivered(message, size, host);
            }

            @Override
            public void refused(QueuedMessage message, long size, String why) {
                anyTaken.set(true);
                RelayWorker.this.refused(message, size, why);
            }

            @Override
            public void retryLater(QueuedMessage message, String why) {
                RelayWorker.this.retryLater(message, why);
            }
        });
        return anyTaken.get();
    }

    /** Version 0 (PROTOCOL.md §6): the first four bytes of the stored message are its crypto version. */
    private boolean isPlaintext(QueuedMessage message) {
        byte[] content = queue.content(message.getId());
        return content.length >= 4 && ByteBuffer.wrap(content, 0, 4).getInt() == Message.PLAINTEXT;
    }

    /**
     * Renews the lease of a message about to be sent; false when it ran out during a long
     * round and another worker took it: then it is skipped, not sent twice.
     */
    private boolean renewLease(QueuedMessage message) {
        long id = message.getId();
        if (!queue.renew(id, workerId, clock.instant().plusSeconds(configuration.relayLeaseSeconds()))) {
            LOG.info(() -> "CMTP relay of message " + id + " skipped: its lease ran out and another worker took it");
            return false;
        }
        return true;
    }

    /**
     * Sends one message on an open connection and records the answer; IOException: the
     * connection failed. The lease is renewed first: a message whose lease ran out during a
     * long round and that another worker took is skipped, not sent twice.
     */
    private void send(QueuedMessage message, CmtpClient client, byte[] serverKey) throws IOException {
        if (!renewLease(message)) {
            return;
        }
        byte[] content = queue.content(message.getId());
        int difficulty = client.capabilities().proofOfWorkDifficulty();
        if (difficulty > configuration.relayMaxPow()) {
            // 2^difficulty hashes: POW 512 would keep this thread busy for ever (PROTOCOL.md §7).
            throw new IOException("asks for a proof of work of " + difficulty + " bits, more than cmtp.relay-max-pow ("
                    + configuration.relayMaxPow() + "); giving up on this server for now");
        }
        long started = System.nanoTime();
        try {
            SignedStatus receipt = client.mail(content, ProofOfWork.find(content, difficulty), serverKey);
            switch (receipt.word()) {
                case SUCCESS -> delivered(message, content.length, null);
                case DELIVERYFAILURE -> refused(message, content.length, "the server of " + message.getRecipientDomain()
                        + " refused it (DELIVERYFAILURE: no such account, or not accepted there)");
                default -> retryLater(message, "the server of " + message.getRecipientDomain() + " answered "
                        + receipt.word());
            }
        } finally {
            meters.timeRelayAttempt(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** @param smtpHost the SMTP server that took it, or null when it went over CMTP */
    private void delivered(QueuedMessage message, long size, String smtpHost) {
        queue.remove(message.getId());
        traffic.record(MessageEvent.RELAYED, message.getSender(), message.recipient(), null);
        MessageLog line = event(MessageLog.Kind.RELAYED, message, size).with("attempts", message.getAttempts() + 1);
        if (smtpHost != null) {
            line = line.with("smtp", smtpHost);
        }
        line.log();
    }

    private void refused(QueuedMessage message, long size, String why) {
        queue.remove(message.getId());
        traffic.record(MessageEvent.FAILED, message.getSender(), message.recipient(), why);
        event(MessageLog.Kind.BOUNCED, message, size).with("attempts", message.getAttempts() + 1)
                .with("reason", "refused-by-remote").log();
        notices.undeliverable(message, why);
    }

    private static MessageLog event(MessageLog.Kind kind, QueuedMessage message, long size) {
        return MessageLog.of(kind).id(message.getId()).account(message.getRecipientAccount())
                .domain(message.getRecipientDomain()).from(message.getSender()).size(size);
    }

    private void retryLater(QueuedMessage message, String error) {
        Instant now = clock.instant();
        Duration lifetime = Duration.ofSeconds(configuration.queueLifetimeSeconds());
        if (now.isAfter(message.getQueued().plus(lifetime))) {
            long size = sizeOf(message.getId());
            queue.remove(message.getId());
            String why = "not delivered within " + lifetime + "; last error: " + error;
            traffic.record(MessageEvent.FAILED, message.getSender(), message.recipient(), why);
            event(MessageLog.Kind.BOUNCED, message, size).with("attempts", message.getAttempts())
                    .with("reason", "queue-lifetime-over").log();
            notices.undeliverable(message, why);
            return;
        }
        Backoff backoff = new Backoff(Duration.ofSeconds(configuration.retryInitialSeconds()),
                Duration.ofSeconds(configuration.retryMaxSeconds()));
        Instant next = now.plus(backoff.after(message.getAttempts() + 1));
        queue.failed(message.getId(), error, next);
        LOG.info(() -> "CMTP relay to " + message.recipient() + " failed (attempt " + (message.getAttempts() + 1)
                + "), next at " + next + ": " + error);
    }

    /** The stored size of a queued message, for its log line (-1 if it cannot be read). */
    private long sizeOf(long id) {
        try {
            return queue.content(id).length;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
