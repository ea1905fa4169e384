package org.cmtp.ra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.ra.api.CmtpMailListener;
import org.cmtp.ra.api.DeliveredMail;

/**
 * The applications listening for the mail of local accounts: one {@link Subscription} per
 * activation of a {@link CmtpMailListener} bean ({@link MailSubscriptionActivationSpec}).
 *
 * <p>{@link #deliver} is called by a CMTP session once the server endpoint has committed a
 * message to a local mailbox. It only queues the message with each subscription whose
 * accounts contain the recipient and returns: every subscription drains its queue in a
 * {@link Work} of its own on the container's {@link WorkManager}, one message at a time,
 * each through a fresh endpoint ({@code createEndpoint(null)} … {@code release()}). So a
 * slow bean holds at most one work thread and never delays a CMTP session, and a failing
 * bean is logged (account and cause) without affecting anyone else.
 *
 * <p>The queue of a subscription is bounded ({@value #MAX_PENDING_MAILS} messages,
 * {@value #MAX_PENDING_BYTES} bytes): mail for a bean that falls that far behind is not
 * handed to it (logged); the mailbox still has it.
 */
public final class MailSubscriptions {

    static final int MAX_PENDING_MAILS = 10_000;
    static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(MailSubscriptions.class.getName());

    private final WorkManager workManager;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    public MailSubscriptions(WorkManager workManager) {
        this.workManager = workManager;
    }

    /** Starts handing the mail of {@code accounts} to the endpoints of {@code factory}. */
    public Subscription subscribe(MessageEndpointFactory factory, Set<String> accounts) {
        Subscription subscription = new Subscription(factory, Set.copyOf(accounts));
        subscriptions.add(subscription);
        LOG.info(() -> "CMTP mail of " + String.join(", ", accounts) + " goes to " + subscription.endpointName);
        return subscription;
    }

    /** Stops the subscription: mail queued for it and not yet handed over is dropped. */
    public void unsubscribe(Subscription subscription) {
        if (subscriptions.remove(subscription)) {
            subscription.close();
            LOG.info(() -> "CMTP mail no longer goes to " + subscription.endpointName);
        }
    }

    public void unsubscribeAll() {
        subscriptions.forEach(this::unsubscribe);
    }

    /** Queues {@code mail} for every subscription to its account; returns at once. */
    public void deliver(DeliveredMail mail) {
        for (Subscription subscription : subscriptions) {
            if (subscription.accounts.contains(mail.account())) {
                subscription.offer(mail);
            }
        }
    }

    int size() {
        return subscriptions.size();
    }

    /** One activation of a {@link CmtpMailListener} bean, with its queue of mail. */
    public final class Subscription {

        private final MessageEndpointFactory factory;
        private final Set<String> accounts;
        private final String endpointName;
        private final ArrayDeque<DeliveredMail> pending = new ArrayDeque<>();
        private long pendingBytes;
        private boolean draining;
        private volatile boolean closed;

        private Subscription(MessageEndpointFactory factory, Set<String> accounts) {
            this.factory = factory;
            this.accounts = accounts;
            this.endpointName = endpointName(factory);
        }

        public Set<String> accounts() {
            return accounts;
        }

        private void offer(DeliveredMail mail) {
            if (closed) {
                return;
            }
            synchronized (this) {
                if (!pending.isEmpty() && (pending.size() >= MAX_PENDING_MAILS
                        || pendingBytes + mail.size() > MAX_PENDING_BYTES)) {
                    LOG.severe(() -> "CMTP " + endpointName + " falls behind (" + pending.size() + " messages, "
                            + pendingBytes + " bytes waiting): message " + mail.mailboxId() + " for account '"
                            + mail.account() + "' is not handed to it (it is in the mailbox)");
                    return;
                }
                pending.add(mail);
                pendingBytes += mail.size();
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                workManager.scheduleWork(new Drain());
            } catch (WorkException | RuntimeException e) {
                synchronized (this) {
                    draining = false;
                }
                LOG.warning(() -> "CMTP no work thread to hand mail for account '" + mail.account() + "' to "
                        + endpointName + " (" + e.getMessage() + "); it waits for the next message");
            }
        }

        private synchronized DeliveredMail next() {
            DeliveredMail mail = closed ? null : pending.poll();
            if (mail == null) {
                draining = false;
            } else {
                pendingBytes -= mail.size();
            }
            return mail;
        }

        private void close() {
            closed = true;
            synchronized (this) {
                pending.clear();
                pendingBytes = 0;
            }
        }

        private void handOver(DeliveredMail mail) {
            MessageEndpoint endpoint;
            try {
                endpoint = factory.createEndpoint(null);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "CMTP " + endpointName + " is not available for message " + mail.mailboxId()
                        + " for account '" + mail.account() + "': " + e.getMessage(), e);
                return;
            }
            try {
                ((CmtpMailListener) endpoint).onMail(mail);
            } catch (RuntimeException e) {
                // One line with the bean's own cause; the container logs the invocation's stack itself.
                LOG.warning(() -> "CMTP " + endpointName + " failed on message " + mail.mailboxId()
                        + " for account '" + mail.account() + "' from " + mail.sender() + ": " + rootCause(e));
                LOG.log(Level.FINE, "CMTP " + endpointName + " failure", e);
            } finally {
                endpoint.release();
            }
        }

        @Override
        public String toString() {
            return endpointName + " for " + accounts;
        }

        /** Hands the queued mail over, one message at a time, until the queue is empty. */
        private final class Drain implements Work {

            private volatile boolean released;

            @Override
            public void run() {
                boolean emptied = false;
                try {
                    while (!released) {
                        DeliveredMail mail = next();
                        if (mail == null) {
                            emptied = true; // next() ended the draining
                            return;
                        }
                        handOver(mail);
                    }
                } finally {
                    if (!emptied) {
                        // released or broken: what is left waits for the next message's Drain
                        synchronized (Subscription.this) {
                            draining = false;
                        }
                    }
                }
            }

            /** The container wants the thread back (shutdown): stop after the current message. */
            @Override
            public void release() {
                released = true;
            }
        }
    }

    private static String endpointName(MessageEndpointFactory factory) {
        Class<?> bean = factory.getEndpointClass();
        String name = factory.getActivationName();
        return "application endpoint " + (bean != null ? bean.getName() : "?")
                + (name != null ? " (" + name + ")" : "");
    }

    /** The innermost cause, as "Type: message": what the bean threw, inside the container's EJBException. */
    static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getName() + ": " + cause.getMessage();
    }
}
