package org.cmtp.sample;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;

import java.util.logging.Logger;

import org.cmtp.client.ReceivedMail;
import org.cmtp.message.Attachment;
import org.cmtp.wire.ProtocolException;
import org.cmtp.ra.api.CmtpMailListener;
import org.cmtp.ra.api.DeliveredMail;

/**
 * Receives the mail of the account {@code orders} after the server stored it, opens each
 * message with the account's keys and records subject, text and attachment names.
 *
 * <p>Activation: {@code accounts} names the accounts (comma-separated); {@code resourceAdapter}
 * names the adapter as deployed on its own ({@code cmtp-ra}, ADR 0002). Whatever this bean
 * throws is logged by the adapter with the account and the cause; the message stays in the
 * server's mailbox either way.
 */
@MessageDriven(
        messageListenerInterface = CmtpMailListener.class,
        activationConfig = {
            @ActivationConfigProperty(propertyName = "accounts", propertyValue = "orders"),
            @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "cmtp-ra")
        })
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OrdersMailBean implements CmtpMailListener {

    private static final Logger LOG = Logger.getLogger(OrdersMailBean.class.getName());

    @EJB
    private AccountKeys keys;
    @Inject
    private OpenedMailLog log;

    @Override
    public void onMail(DeliveredMail mail) {
        ReceivedMail opened;
        try {
            opened = ReceivedMail.open(mail.storedMessage(), keys.of(mail.account()));
        } catch (ProtocolException | ResourceException e) {
            throw new IllegalStateException("cannot open message " + mail.mailboxId() + ": " + e.getMessage(), e);
        }
        log.add(new OpenedMail(mail.account(), mail.sender(), opened.body().subject(), opened.body().text(),
                opened.attachments().stream().map(Attachment::fileName).toList(), mail.mailboxId()));
        LOG.info(() -> "sample: opened message " + mail.mailboxId() + " for " + mail.account() + " from "
                + mail.sender() + ": " + opened.body().subject());
    }
}
