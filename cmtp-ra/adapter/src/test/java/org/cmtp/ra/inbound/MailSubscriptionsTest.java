package org.cmtp.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.DeliveredMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MailSubscriptionsTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final MailSubscriptions subscriptions = new MailSubscriptions(new ExecutorWorkManager(threads));
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger log = Logger.getLogger(MailSubscriptions.class.getName());

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
        log.setUseParentHandlers(false); // the failures here are expected: keep them off the console
    }

    @AfterEach
    void stop() throws InterruptedException {
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
        subscriptions.unsubscribeAll();
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void onlyMailForTheSubscribedAccountsArrivesEachThroughAFreshEndpoint() throws Exception {
        RecordingMailBean orders = new RecordingMailBean(mail -> { });
        RecordingMailBean all = new RecordingMailBean(mail -> { });
        subscriptions.subscribe(orders, Set.of("orders"));
        subscriptions.subscribe(all, Set.of("orders", "carol"));

        subscriptions.deliver(mail("carol", 1));
        subscriptions.deliver(mail("orders", 2));
        subscriptions.deliver(mail("Orders", 3)); // names match exactly, as the server stores them
        subscriptions.deliver(mail("orders", 4));

        all.awaitReceived(3);
        orders.awaitReceived(2);
        Thread.sleep(100);
        assertEquals(List.of(2L, 4L), orders.ids());
        assertEquals(List.of(1L, 2L, 4L), all.ids(), "in the order the server answered");
        assertEquals(2, orders.created.get());
        assertEquals(2, orders.released.get(), "every endpoint is released");
        assertEquals(3, all.released.get());
    }

    @Test
    void aSlowBeanDelaysNeitherTheCallerNorAnotherBean() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        RecordingMailBean slow = new RecordingMailBean(mail -> await(stuck));
        RecordingMailBean quick = new RecordingMailBean(mail -> { });
        subscriptions.subscribe(slow, Set.of("orders"));
        subscriptions.subscribe(quick, Set.of("orders"));

        long started = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            subscriptions.deliver(mail("orders", i));
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1), "deliver only queues");
        quick.awaitReceived(5);
        assertEquals(1, slow.created.get(), "one message at a time per bean: the others wait in its queue");

        stuck.countDown();
        slow.awaitReceived(5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), slow.ids());
    }

    @Test
    void aFailingRecordingMailBeanIsLoggedWithAccountAndCauseAndGetsTheNextMail() throws Exception {
        RecordingMailBean failing = new RecordingMailBean(mail -> {
            if (mail.mailboxId() == 1) {
                throw new IllegalStateException("container wrapper", new IllegalArgumentException("no such order 42"));
            }
        });
        subscriptions.subscribe(failing, Set.of("orders"));
        subscriptions.deliver(mail("orders", 1));
        subscriptions.deliver(mail("orders", 2));

        failing.awaitReceived(2);
        Thread.sleep(100);
        assertEquals(2, failing.released.get(), "released after a failure too");
        LogRecord warning = logged.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
        assertTrue(warning.getMessage().contains("failed on message 1 for account 'orders' from carol@example.org: "
                + "java.lang.IllegalArgumentException: no such order 42"), warning.getMessage());
        assertTrue(warning.getMessage().contains(RecordingMailBean.class.getName()),
                "names the bean: " + warning.getMessage());
    }

    @Test
    void anUnsubscribedRecordingMailBeanGetsNothingMore() throws Exception {
        RecordingMailBean bean = new RecordingMailBean(mail -> { });
        MailSubscriptions.Subscription subscription = subscriptions.subscribe(bean, Set.of("orders"));
        subscriptions.deliver(mail("orders", 1));
        bean.awaitReceived(1);

        subscriptions.unsubscribe(subscription);
        assertEquals(0, subscriptions.size());
        subscriptions.deliver(mail("orders", 2));
        Thread.sleep(200);
        assertEquals(List.of(1L), bean.ids());
    }

    @Test
    void anEndpointThatCannotBeCreatedIsLoggedAndTheQueueGoesOn() throws Exception {
        RecordingMailBean bean = new RecordingMailBean(mail -> { });
        bean.unavailableOnce = true;
        subscriptions.subscribe(bean, Set.of("orders"));
        subscriptions.deliver(mail("orders", 1));
        subscriptions.deliver(mail("orders", 2));
        bean.awaitReceived(1);
        Thread.sleep(100);
        assertEquals(List.of(2L), bean.ids());
        assertTrue(logged.stream().anyMatch(r -> r.getMessage().contains("is not available for message 1 for account "
                + "'orders'")));
    }

    @Test
    void theRootCauseIsWhatTheRecordingMailBeanThrew() {
        assertEquals("java.io.IOException: disk full", MailSubscriptions.rootCause(
                new RuntimeException("EJBException", new IllegalStateException(new java.io.IOException("disk full")))));
    }

    static DeliveredMail mail(String account, long id) throws Exception {
        return new DeliveredMail(account, "example.org", "carol@example.org", new byte[] {1, 2, 3}, new byte[64],
                Instant.parse("2026-11-28T16:00:00Z"), new ClientInfo(InetAddress.getLoopbackAddress(), 40000,
                        InetAddress.getLoopbackAddress(), 9001), id);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
