package org.cmtp.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkContext;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.transaction.xa.XAResource;

import org.cmtp.client.CmtpClient;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Signatures;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.CmtpRequestListener;
import org.cmtp.ra.api.DeliveredMail;
import org.cmtp.ra.api.MailOutcome;
import org.cmtp.ra.inbound.CmtpPortActivationSpec;
import org.cmtp.ra.inbound.MailSubscriptionActivationSpec;
import org.cmtp.ra.inbound.ExecutorWorkManager;
import org.cmtp.ra.inbound.RecordingMailBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter with both kinds of activation, over a real socket: the server's endpoint is a
 * stand-in that stores mail for {@code example.org} and "queues" everything else, as a
 * relaying server answers {@code SUCCESS} for it.
 */
class CmtpResourceAdapterTest {

    private static final String LOCAL = "example.org";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CmtpResourceAdapter adapter = new CmtpResourceAdapter();
    private final Ed25519KeyPair serverKey = Ed25519KeyPair.generate(new SecureRandom());
    private final ServerEndpoint server = new ServerEndpoint();
    private CmtpPortActivationSpec listenerSpec;

    @BeforeEach
    void start() throws Exception {
        adapter.start(new Bootstrap(new ExecutorWorkManager(threads)));
        listenerSpec = new CmtpPortActivationSpec();
        listenerSpec.setBindAddress("127.0.0.1");
        listenerSpec.setPort(freePort());
        adapter.endpointActivation(server, listenerSpec);
    }

    @AfterEach
    void stop() throws InterruptedException {
        adapter.stop();
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void anApplicationGetsTheLocalDeliveriesOfItsAccountsOnly() throws Exception {
        RecordingMailBean orders = new RecordingMailBean(mail -> { });
        adapter.endpointActivation(orders, mailSpec("orders"));

        try (CmtpClient client = connect()) {
            assertEquals(StatusWord.SUCCESS, mail(client, "carol", LOCAL).word(), "stored for carol");
            assertEquals(StatusWord.SUCCESS, mail(client, "orders", "elsewhere.test").word(), "queued for relay");
            assertEquals(StatusWord.DELIVERYFAILURE, mail(client, "nobody", LOCAL).word());
            assertEquals(StatusWord.SUCCESS, mail(client, "orders", LOCAL).word(), "stored for orders");
        }
        // One queue per bean, filled before each reply: had the earlier ones been handed over,
        // they would have arrived first.
        orders.awaitReceived(1);
        DeliveredMail received = orders.received.get(0);
        assertEquals("orders", received.account());
        assertEquals(4, received.mailboxId());
        assertEquals(new MailAddress("orders", LOCAL), received.message().destination());
    }

    @Test
    void aBlockedApplicationDoesNotDelayTheReceipts() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        RecordingMailBean blocked = new RecordingMailBean(mail -> {
            try {
                stuck.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        adapter.endpointActivation(blocked, mailSpec("orders"));
        try (CmtpClient client = connect()) {
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertEquals(StatusWord.SUCCESS, mail(client, "orders", LOCAL).word());
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        } finally {
            stuck.countDown();
        }
        blocked.awaitReceived(3);
    }

    @Test
    void aMailActivationOpensNoSocketAndEndsWithItsDeactivation() throws Exception {
        RecordingMailBean orders = new RecordingMailBean(mail -> { });
        MailSubscriptionActivationSpec spec = mailSpec("orders");
        adapter.endpointActivation(orders, spec);
        adapter.endpointDeactivation(orders, spec);
        try (CmtpClient client = connect()) {
            assertEquals(StatusWord.SUCCESS, mail(client, "orders", LOCAL).word());
        }
        Thread.sleep(200);
        assertEquals(List.of(), orders.ids());
    }

    @Test
    void anInvalidMailActivationIsRefusedNamingTheProperty() {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> adapter.endpointActivation(new RecordingMailBean(mail -> { }), mailSpec("orders,../etc")));
        assertTrue(e.getMessage().contains("accounts"), e.getMessage());
    }

    private static MailSubscriptionActivationSpec mailSpec(String accounts) {
        MailSubscriptionActivationSpec spec = new MailSubscriptionActivationSpec();
        spec.setAccounts(accounts);
        return spec;
    }

    private CmtpClient connect() throws Exception {
        return CmtpClient.connect(new InetSocketAddress("127.0.0.1", listenerSpec.effectivePort()), TIMEOUT, TIMEOUT);
    }

    private SignedStatus mail(CmtpClient client, String account, String domain) throws Exception {
        byte[] raw = new Message(Message.PLAINTEXT, new MailAddress(account, domain), new MailAddress("carol", LOCAL),
                "", new byte[] {0, 0, 0, 0}, List.of()).encode();
        return client.mail(raw, ProofOfWork.none(), serverKey.publicKey());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The server's MDB, reduced to what the adapter needs of it. */
    private final class ServerEndpoint implements MessageEndpointFactory {

        private final AtomicLong ids = new AtomicLong();

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource) {
            return new Endpoint();
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) {
            return new Endpoint();
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return false;
        }

        @Override
        public String getActivationName() {
            return "server";
        }

        @Override
        public Class<?> getEndpointClass() {
            return Endpoint.class;
        }

        final class Endpoint implements MessageEndpoint, CmtpRequestListener {

            @Override
            public Reply keyRequest(Command.KeyRequest request, ClientInfo client) {
                return new KeyReply(serverKey.publicKey(), Signatures.sign(serverKey, serverKey.publicKey()));
            }

            @Override
            public Reply keyBind(Command.KeyBind request, ClientInfo client) {
                return org.cmtp.protocol.KeyReply.bound(serverKey.publicKey(),
                        Signatures.sign(serverKey, request.bytesToSign(serverKey.publicKey())));
            }

            @Override
            public Reply login(Command.Login request, ClientInfo client) {
                return status(StatusWord.FAILURE, new byte[0]);
            }

            @Override
            public MailOutcome mail(Command.Mail mail, ClientInfo client) {
                byte[] hash = Blake2b.hash512(mail.rawMessage());
                long id = ids.incrementAndGet();
                MailAddress to = mail.message().destination();
                if (!to.domain().equals(LOCAL)) {
                    return MailOutcome.reply(status(StatusWord.SUCCESS, hash)); // queued for relay
                }
                if (to.account().equals("nobody")) {
                    return MailOutcome.reply(status(StatusWord.DELIVERYFAILURE, hash));
                }
                return MailOutcome.delivered(status(StatusWord.SUCCESS, hash), new DeliveredMail(to.account(), LOCAL,
                        mail.message().source().toString(), mail.rawMessage(), hash, Instant.now(), client, id));
            }

            @Override
            public SignedStatus status(StatusWord word, byte[] context) {
                return new SignedStatus(word, Signatures.sign(serverKey, SignedStatus.bytesToSign(word, context)));
            }

            @Override
            public void beforeDelivery(Method method) {
            }

            @Override
            public void afterDelivery() {
            }

            @Override
            public void release() {
            }
        }
    }

    private record Bootstrap(ExecutorWorkManager workManager) implements BootstrapContext {
        @Override
        public ExecutorWorkManager getWorkManager() {
            return workManager;
        }

        @Override
        public XATerminator getXATerminator() {
            return null;
        }

        @Override
        public Timer createTimer() {
            return new Timer(true);
        }

        @Override
        public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
            return false;
        }

        @Override
        public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
            return null;
        }
    }
}
