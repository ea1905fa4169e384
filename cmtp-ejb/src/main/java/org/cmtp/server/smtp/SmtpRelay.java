package org.cmtp.server.smtp;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.message.Message;
import org.cmtp.protocol.DomainNames;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.dns.DeliveryTarget;
import org.cmtp.server.dns.Destination;
import org.cmtp.server.dns.MxLookupException;
import org.cmtp.server.dns.MxResolver;
import org.cmtp.server.federation.DialPolicy;

/**
 * Delivers plaintext (version 0) messages over SMTP to a domain that has no CMTP server
 * (ADR 0028): written as RFC 5322 by {@link CmtpToSmtp}, sent with Angus Mail's SMTP
 * transport to the domain's MX hosts on {@code cmtp.smtp-mx-port} (in MX order), or to
 * {@code cmtp.smtp-smarthost} instead, with STARTTLS whenever the server offers it. The
 * dial rules of CMTP relay ({@code cmtp.dial-networks}) apply to every SMTP host found
 * through the DNS; a smarthost, which the operator wrote, is dialled like a static route.
 *
 * <p>The queue is the relay's: this class only says, message by message, what became of
 * it, through {@link Outcomes}. A 5xx answer is a refusal (the sender gets a notice at
 * once); anything else (4xx, no host reachable, a broken connection) is retried later.
 * A sealed message is never handed to this class.
 */
@ApplicationScoped
public class SmtpRelay {

    /** What the relay queue does with each message; called on the delivering thread. */
    public interface Outcomes<M> {
        /** Renews the message's lease and reads it; empty: another worker has it now, skip it. */
        Optional<byte[]> claim(M message);

        void delivered(M message, long size, String host);

        void refused(M message, long size, String why);

        void retryLater(M message, String why);
    }

    private static final Logger LOG = Logger.getLogger(SmtpRelay.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 60_000;
    private static final Pattern REPLY_CODE = Pattern.compile("(?:^|\\s)([2-5])[0-9][0-9][ -]");

    @Inject
    private MxResolver resolver;
    @Inject
    private CmtpConfiguration configuration;

    private DialPolicy dialPolicy;

    @PostConstruct
    void start() {
        dialPolicy = new DialPolicy(configuration.dialNetworks(),
                DialPolicy.listener(configuration.bindAddress(), configuration.port()));
    }

    /**
     * Sends each message to its recipient at {@code domain}, over one SMTP connection per
     * host; the messages a host did not take go to the next host, and those no host took
     * are retried later.
     */
    public <M> void deliver(String requestedDomain, List<M> messages, Outcomes<M> outcomes) {
        String domain = DomainNames.canonical(requestedDomain);
        Deque<M> pending = new ArrayDeque<>(messages);
        List<String> failures = new ArrayList<>();
        List<Host> hosts;
        try {
            hosts = hosts(domain, failures);
        } catch (MxLookupException e) {
            pending.forEach(m -> outcomes.retryLater(m, "cannot find the SMTP servers of " + domain + ": " + e.getMessage()));
            return;
        }
        for (Host host : hosts) {
            if (pending.isEmpty()) {
                return;
            }
            try {
                sendOver(host, pending, outcomes);
            } catch (MessagingException e) {
                failures.add(host + ": " + describe(e));
            }
        }
        String why = "no SMTP server of " + domain + " took it: " + (failures.isEmpty() ? "none found" : String.join("; ", failures));
        pending.forEach(m -> outcomes.retryLater(m, why));
    }

    /** One SMTP host to try: its name (for the EHLO check of its certificate and the log) and address. */
    record Host(String name, InetSocketAddress address) {
        @Override
        public String toString() {
            return name + " (" + address.getAddress().getHostAddress() + ":" + address.getPort() + ")";
        }
    }

    /** The smarthost, or the domain's MX hosts on the SMTP port, without those the dial policy refuses. */
    private List<Host> hosts(String domain, List<String> failures) throws MxLookupException {
        Optional<InetSocketAddress> smarthost = configuration.smtpSmarthost();
        List<Host> hosts = new ArrayList<>();
        if (smarthost.isPresent()) {
            String name = smarthost.get().getHostString();
            try {
                for (InetAddress address : InetAddress.getAllByName(name)) {
                    hosts.add(new Host(name, new InetSocketAddress(address, smarthost.get().getPort())));
                }
            } catch (UnknownHostException e) {
                failures.add("the smarthost " + name + " (cmtp.smtp-smarthost) is unknown to the system resolver");
            }
            return hosts;
        }
        Destination destination = resolver.resolve(domain);
        boolean routed = destination.source() == Destination.Source.STATIC_ROUTE;
        for (DeliveryTarget target : destination.targets()) {
            InetSocketAddress address = new InetSocketAddress(target.address().getAddress(), configuration.smtpMxPort());
            Optional<String> refused = dialPolicy.refusal(address, routed);
            if (refused.isPresent()) {
                LOG.warning(() -> "CMTP did not dial the SMTP server " + target.host() + " for " + domain + ": "
                        + refused.get());
                failures.add(target.host() + ": not dialled: " + refused.get());
            } else {
                hosts.add(new Host(target.host(), address));
            }
        }
        return hosts;
    }

    /**
     * One connection to one host, message after message until none is left.
     *
     * @throws MessagingException the host could not be reached, or the connection broke:
     *     the messages still pending go to the next host
     */
    private <M> void sendOver(Host host, Deque<M> pending, Outcomes<M> outcomes) throws MessagingException {
        Session session = session(host);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(host.address().getAddress().getHostAddress(), host.address().getPort(), null, null);
            while (!pending.isEmpty()) {
                M queued = pending.peek();
                Optional<byte[]> content = outcomes.claim(queued);
                if (content.isEmpty()) {
                    pending.poll();
                    continue;
                }
                send(transport, session, host, queued, content.get(), outcomes);
                pending.poll();
            }
        }
    }

    /** Sends one message and records its outcome; a broken connection is thrown, with the message still pending. */
    private <M> void send(Transport transport, Session session, Host host, M queued, byte[] content, Outcomes<M> outcomes)
            throws MessagingException {
        MimeMessage mime;
        Message message;
        try {
            message = Message.decode(content, ProtocolLimits.DEFAULTS
                    .withMaxMessageBytes((int) Math.min(Integer.MAX_VALUE, Math.max(content.length,
                            configuration.maxMessageSize())))
                    .withMaxAttachments(Math.max(configuration.maxAttachments(), 1)));
            mime = CmtpToSmtp.toMime(session, message, configuration.primaryDomain());
        } catch (ProtocolException | MessagingException | IllegalArgumentException e) {
            // nothing a later attempt could change
            outcomes.refused(queued, content.length, "it cannot be written as an RFC 5322 message: " + e.getMessage());
            return;
        }
        InternetAddress recipient = CmtpToSmtp.address(message.destination());
        try {
            transport.sendMessage(mime, new InternetAddress[] {recipient});
            outcomes.delivered(queued, content.length, host.toString());
        } catch (SendFailedException e) {
            int code = replyClass(e);
            String why = host + " answered: " + describe(e);
            if (code == 5) {
                outcomes.refused(queued, content.length, why);
            } else if (transport.isConnected()) {
                outcomes.retryLater(queued, why);
            } else {
                throw e;
            }
        }
    }

    /**
     * A session for one host: STARTTLS whenever offered (opportunistic, RFC 7435: the MX
     * host's certificate is not checked, as no MX certificate can be known in advance; it
     * still keeps a passive listener out), EHLO with this server's domain. The envelope
     * sender is the message's From (Angus Mail's default): the sender's address, and for a
     * delivery notice {@code postmaster@} this server's domain.
     */
    private Session session(Host host) {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.starttls.enable", "true");
        properties.setProperty("mail.smtp.starttls.required", "false");
        properties.setProperty("mail.smtp.ssl.trust", "*");
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        properties.setProperty("mail.smtp.localhost", configuration.primaryDomain());
        properties.setProperty("mail.smtp.connectiontimeout", Integer.toString(CONNECT_TIMEOUT_MS));
        properties.setProperty("mail.smtp.timeout", Integer.toString(readTimeoutMillis()));
        properties.setProperty("mail.smtp.writetimeout", Integer.toString(readTimeoutMillis()));
        properties.setProperty("mail.smtp.allow8bitmime", "true");
        return Session.getInstance(properties);
    }

    private int readTimeoutMillis() {
        return (int) Math.min(READ_TIMEOUT_MS, configuration.deliveryDeadlineSeconds() * 1000);
    }

    /** The class of the SMTP reply behind a failure (2..5), or 0 when none is named. */
    static int replyClass(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher m = REPLY_CODE.matcher(String.valueOf(t.getMessage()) + " ");
            if (m.find()) {
                return m.group(1).charAt(0) - '0';
            }
            if (t instanceof MessagingException me && me.getNextException() != null && me.getNextException() != t.getCause()) {
                int next = replyClass(me.getNextException());
                if (next != 0) {
                    return next;
                }
            }
        }
        return 0;
    }

    private static String describe(Exception e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).strip());
        Exception next = e instanceof MessagingException me ? me.getNextException() : null;
        if (next != null && next.getMessage() != null && !text.toString().contains(next.getMessage().strip())) {
            text.append(" (").append(next.getMessage().strip()).append(')');
        }
        return text.toString();
    }
}
