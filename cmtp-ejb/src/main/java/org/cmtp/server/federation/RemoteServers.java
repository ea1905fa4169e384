package org.cmtp.server.federation;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.ConnectionFailedException;
import org.cmtp.client.NotCmtpServerException;
import org.cmtp.protocol.DomainNames;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.dns.DeliveryTarget;
import org.cmtp.server.dns.Destination;
import org.cmtp.server.dns.MxLookupException;
import org.cmtp.server.dns.MxResolver;
import org.cmtp.server.identity.ServerIdentity;

/**
 * Talks to another domain's CMTP server: finds its servers through DNS (or a static
 * route), tries them in MX order, and before anything else checks the server key
 * against the pin — so every answer used later is signed by the pinned key. A server that
 * advertises address-bound key replies (KEYBIND, PROTOCOL.md §4a) is remembered as such in
 * its pin, and asked only with KEYBIND from then on ({@link CmtpClient#requireKeyBind()}).
 *
 * <p>MX records are written by whoever owns a domain, so an answer is not obeyed blindly:
 * addresses the {@link DialPolicy} refuses (this server's own listener, loopback, private
 * networks, ...) are not dialled, a server that presents this server's own key is a loop
 * and not talked to, and the whole attempt, over all hosts, ends at
 * {@code cmtp.delivery-deadline} whatever the remote servers do.
 *
 * <p>Why a plain {@link CmtpClient} per conversation and not the adapter's pooled outbound
 * connections: destination, pin and dial policy are decided per message (ADR 0036).
 */
@ApplicationScoped
public class RemoteServers {

    /** One conversation with a remote server whose key has been checked. */
    @FunctionalInterface
    public interface Conversation<T> {
        T with(CmtpClient client, byte[] serverKey) throws IOException;
    }

    /**
     * A conversation that delivers several messages: it calls {@code nextMessage} before each
     * message after the first, which gives that message the whole {@code cmtp.delivery-deadline}.
     */
    @FunctionalInterface
    public interface Deliveries<T> {
        T with(CmtpClient client, byte[] serverKey, Runnable nextMessage) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(RemoteServers.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    private MxResolver resolver;
    @EJB
    private ServerKeyPins pins;
    @EJB
    private ServerIdentity identity;
    @Inject
    private CmtpConfiguration configuration;

    private DialPolicy dialPolicy;
    /** Closes the sockets of attempts whose deadline passed; its only work is {@code Socket.close()}. */
    private ScheduledExecutorService deadlineAlarm;

    @PostConstruct
    void start() {
        dialPolicy = new DialPolicy(configuration.dialNetworks(),
                DialPolicy.listener(configuration.bindAddress(), configuration.port()));
        deadlineAlarm = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cmtp-remote-deadline");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        deadlineAlarm.shutdownNow();
    }

    /**
     * Runs {@code conversation} with the first server of {@code domain} that can be dialled,
     * answers, and presents the pinned key, all within {@code cmtp.delivery-deadline}.
     *
     * @throws RemoteDomainException no server could be used; the message says why, host by host
     */
    public <T> T talkTo(String requestedDomain, Conversation<T> conversation)
            throws RemoteDomainException, ServerKeyChangedException {
        return deliver(requestedDomain, (client, serverKey, nextMessage) -> conversation.with(client, serverKey));
    }

    /** As {@link #talkTo}, for a conversation that may restart the deadline message by message. */
    public <T> T deliver(String requestedDomain, Deliveries<T> conversation)
            throws RemoteDomainException, ServerKeyChangedException {
        String domain = DomainNames.canonical(requestedDomain);
        Destination destination;
        try {
            destination = resolver.resolve(domain);
        } catch (MxLookupException e) {
            throw new RemoteDomainException("cannot find the CMTP servers of " + domain + ": " + e.getMessage(), e);
        }
        if (destination.targets().isEmpty()) {
            throw new RemoteDomainException(domain + " accepts no CMTP mail (null MX)");
        }
        boolean routed = destination.source() == Destination.Source.STATIC_ROUTE;
        List<String> failures = new ArrayList<>();
        int withoutCmtp = 0; // hosts that answered, and not in CMTP
        int otherwise = 0; // hosts that failed in a way that may pass
        try (AttemptDeadline deadline = new AttemptDeadline(Duration.ofSeconds(configuration.deliveryDeadlineSeconds()),
                deadlineAlarm)) {
            for (DeliveryTarget target : destination.targets()) {
                Optional<String> refused = dialPolicy.refusal(target.address(), routed);
                if (refused.isPresent()) {
                    LOG.warning(() -> "CMTP did not dial " + target.host() + " for " + domain + ": " + refused.get());
                    failures.add(target.host() + ": not dialled: " + refused.get());
                    continue;
                }
                if (deadline.passed()) {
                    failures.add(target.host() + ": not tried, " + deadlineText(deadline));
                    otherwise++;
                    break;
                }
                try {
                    return talkTo(domain, target, deadline, conversation);
                } catch (IOException e) { // CmtpClientException included
                    String why = deadline.passed() ? deadlineText(deadline) + " (" + e.getMessage() + ")" : e.getMessage();
                    failures.add(describe(target) + ": " + why);
                    if (!deadline.passed() && speaksNoCmtp(e)) {
                        withoutCmtp++;
                    } else {
                        otherwise++;
                    }
                }
            }
        }
        String why = "no CMTP server of " + domain + " answered: " + String.join("; ", failures);
        if (withoutCmtp > 0 && otherwise == 0) {
            throw RemoteDomainException.noCmtpServer(domain + " has no CMTP server (" + why + ")");
        }
        throw new RemoteDomainException(why);
    }

    private <T> T talkTo(String domain, DeliveryTarget target, AttemptDeadline deadline, Deliveries<T> conversation)
            throws IOException, ServerKeyChangedException {
        Socket socket = deadline.guard(new Socket());
        Duration connectTimeout = min(CONNECT_TIMEOUT, deadline.remaining());
        try (CmtpClient client = CmtpClient.connect(socket, target.address(), connectTimeout, READ_TIMEOUT,
                ProtocolLimits.DEFAULTS)) {
            boolean keyBindKnown = pins.requiresKeyBind(domain);
            if (keyBindKnown) {
                client.requireKeyBind(); // never downgraded by a stripped OHAI line
            }
            byte[] key = client.serverKey();
            if (MessageDigest.isEqual(key, identity.publicKey())) {
                // Our own key: the MX leads back here. Talking on would relay to ourselves, again and again.
                LOG.warning(() -> "CMTP " + describe(target) + ", a server of " + domain + ", presents this server's own key:"
                        + " a loop; not relaying through it");
                throw new IOException("presents this server's own key (a loop)");
            }
            pins.check(domain, key);
            if (!keyBindKnown && client.usesKeyBind()) {
                pins.keyBindSeen(domain);
            }
            return conversation.with(client, key, deadline::restart);
        }
    }

    /**
     * Whether a host's failure says it runs no CMTP server (ADR 0028): it refused the TCP
     * connection on the CMTP port, or greeted in SMTP there. A timeout, a reset, a closed
     * connection or a bad reply say nothing of the kind: they may pass.
     */
    static boolean speaksNoCmtp(IOException e) {
        if (e instanceof NotCmtpServerException) {
            return true;
        }
        return e instanceof ConnectionFailedException && "connect".equals(((ConnectionFailedException) e).command())
                && e.getCause() instanceof ConnectException refused
                // "Network is unreachable" is a ConnectException too, and may pass
                && String.valueOf(refused.getMessage()).contains("refused");
    }

    /** {@code mx.example.org (192.0.2.7:9001)}. */
    private static String describe(DeliveryTarget target) {
        String address = target.address().getAddress() == null ? target.address().getHostString()
                : target.address().getAddress().getHostAddress();
        return target.host() + " (" + (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":"
                + target.address().getPort() + ")";
    }

    private static String deadlineText(AttemptDeadline deadline) {
        return "gave up at the deadline of " + deadline.length().toSeconds() + " s (cmtp.delivery-deadline)";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
