package org.cmtp.ra;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.ResourceAdapter;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import org.cmtp.ra.inbound.CmtpPortActivationSpec;
import org.cmtp.ra.inbound.CmtpPort;
import org.cmtp.ra.inbound.MailSubscriptionActivationSpec;
import org.cmtp.ra.api.DeliveredMail;
import org.cmtp.ra.inbound.MailSubscriptions;

/**
 * The CMTP resource adapter: owns the listening sockets of the server, and hands stored
 * mail to the applications that listen for it. Two kinds of endpoint activation:
 * <ul>
 * <li>a {@link CmtpPortActivationSpec} (the server's mailbox MDB, a
 *     {@link org.cmtp.ra.api.CmtpRequestListener}) gets its own {@link CmtpPort}, a
 *     listening socket; undeploying the endpoint closes it and every connection it serves;</li>
 * <li>a {@link MailSubscriptionActivationSpec} (an application's MDB, a
 *     {@link org.cmtp.ra.api.CmtpMailListener}) opens no socket: it subscribes to the mail
 *     of its accounts ({@link MailSubscriptions}). Whenever the server's endpoint answers a
 *     MAIL with a committed local delivery, every listener's session hands that message to
 *     the subscriptions of its account.</li>
 * </ul>
 * Stopping the adapter ends both.
 */
public class CmtpResourceAdapter implements ResourceAdapter, java.io.Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CmtpResourceAdapter.class.getName());

    private transient BootstrapContext bootstrapContext;
    private final transient Map<ActivationKey, CmtpPort> listeners = new ConcurrentHashMap<>();
    private final transient Map<ActivationKey, MailSubscriptions.Subscription> mailActivations = new ConcurrentHashMap<>();
    private transient MailSubscriptions mailSubscriptions;

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        this.bootstrapContext = context;
        this.mailSubscriptions = new MailSubscriptions(context.getWorkManager());
        LOG.info("CMTP resource adapter started");
    }

    @Override
    public void stop() {
        listeners.values().forEach(CmtpPort::close);
        listeners.clear();
        mailActivations.clear();
        if (mailSubscriptions != null) {
            mailSubscriptions.unsubscribeAll();
        }
        LOG.info("CMTP resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (spec instanceof MailSubscriptionActivationSpec mailSpec) {
            mailActivations.put(new ActivationKey(factory, spec),
                    mailSubscriptions.subscribe(factory, mailSpec.accountNames()));
            return;
        }
        if (!(spec instanceof CmtpPortActivationSpec)) {
            throw new NotSupportedException("CMTP adapter needs a CmtpPortActivationSpec or a MailSubscriptionActivationSpec, got "
                    + (spec == null ? "none" : spec.getClass().getName()));
        }
        CmtpPortActivationSpec cmtpSpec = (CmtpPortActivationSpec) spec;
        cmtpSpec.validate();
        CmtpPort listener = new CmtpPort(cmtpSpec, factory, bootstrapContext.getWorkManager(),
                mailSubscriptions::deliver);
        try {
            listener.open();
        } catch (IOException e) {
            throw new ResourceAdapterInternalException(
                    "cannot listen for CMTP on " + cmtpSpec.effectiveBindAddress() + ":" + cmtpSpec.effectivePort()
                            + ": " + e.getMessage(), e);
        }
        listeners.put(new ActivationKey(factory, cmtpSpec), listener);
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        ActivationKey key = new ActivationKey(factory, spec);
        CmtpPort listener = listeners.remove(key);
        if (listener != null) {
            listener.close();
        }
        MailSubscriptions.Subscription subscription = mailActivations.remove(key);
        if (subscription != null) {
            mailSubscriptions.unsubscribe(subscription);
        }
    }

    /**
     * Hands mail the server stored without a CMTP session (the user API's submissions) to the
     * applications listening for its account, as {@link CmtpPort} does for MAIL.
     */
    public void announce(DeliveredMail mail) {
        MailSubscriptions subscriptions = mailSubscriptions;
        if (subscriptions != null) {
            subscriptions.deliver(mail);
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The adapter has no configuration properties of its own, so all instances are equal (JCA 5.3.1). */
    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return CmtpResourceAdapter.class.hashCode();
    }

    /** Identity of an activation: the same factory and spec objects the container passes again on deactivation. */
    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ActivationKey other && other.factory == factory && other.spec == spec;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(factory) * 31 + System.identityHashCode(spec);
        }
    }
}
