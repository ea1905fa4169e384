package org.cmtp.server.inbound;

import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.logging.Logger;

import org.cmtp.protocol.Command;
import org.cmtp.protocol.DomainNames;
import org.cmtp.protocol.KeyBinding;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.LoginReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.CmtpRequestListener;
import org.cmtp.ra.api.MailOutcome;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.federation.KeyDirectory;
import org.cmtp.server.identity.ServerIdentity;

/**
 * The domain's side of the CMTP listener: answers KEYREQUEST, LOGIN and MAIL from the
 * database. The resource adapter calls it for every such command; the listening
 * address and limits come from the server configuration (see {@code CmtpPortActivationSpec}).
 *
 * <p>Transactions are demarcated by the services it calls, not here: {@link MailIntake} stores
 * or queues a message and signs a {@code SUCCESS} receipt only once it is committed.
 *
 * <p>No {@code resourceAdapter} activation property: the adapter's name differs by
 * packaging ({@code cmtp-ra} deployed alone on Payara Micro, {@code cmtp#cmtp-ra} inside
 * the EAR on Payara Server), and Payara binds an MDB that names none to the one adapter
 * offering its listener type. WildFly ignores the property anyway and takes the binding
 * from {@code META-INF/jboss-ejb3.xml} (ADR 0011).
 */
@MessageDriven(messageListenerInterface = CmtpRequestListener.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DomainEndpointBean implements CmtpRequestListener {

    private static final Logger LOG = Logger.getLogger(DomainEndpointBean.class.getName());

    @EJB
    private ServerIdentity identity;
    @EJB
    private AccountService accounts;
    @Inject
    private KeyDirectory keys;
    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private LoginRateLimiter loginLimiter;
    @Inject
    private MailIntake intake;
    @Inject
    private ForeignKeyRequestLimiter foreignKeyRequests;
    @Inject
    private AccountLookupLimiter accountLookups;

    /** Local keys from the database; another domain's keys relayed from its pinned server, signed by ours. */
    @Override
    public Reply keyRequest(Command.KeyRequest request, ClientInfo client) {
        if (!request.user().isEmpty() && !mayLookUp(request.domain(), client)) {
            return status(StatusWord.KEYNOTAVAILABLE, new byte[0]);
        }
        if (request.user().isEmpty()) {
            return keyReply(identity.publicKey());
        }
        return keys.publicKey(request.user(), request.domain())
                .<Reply>map(this::keyReply)
                .orElseGet(() -> status(StatusWord.KEYNOTAVAILABLE, new byte[0]));
    }

    /**
     * Address-bound keys (PROTOCOL.md §4a): the same keys as {@link #keyRequest}, each signed
     * together with the question (user as sent, domain in canonical form), so that no reply
     * can be replayed for another address.
     */
    @Override
    public Reply keyBind(Command.KeyBind request, ClientInfo client) {
        Optional<byte[]> key;
        if (request.isForServer()) {
            key = Optional.of(identity.publicKey());
        } else if (!mayLookUp(request.domain(), client)) {
            key = Optional.empty();
        } else {
            key = keys.publicKey(request.user(), DomainNames.canonical(request.domain()));
        }
        return key.<Reply>map(k -> KeyReply.bound(k, identity.sign(request.bytesToSign(k))))
                .orElseGet(() -> new SignedStatus(StatusWord.KEYNOTAVAILABLE, identity.sign(
                        KeyBinding.statusBytesToSign(StatusWord.KEYNOTAVAILABLE, request.user(), request.domain()))));
    }

    /** Within cmtp.foreign-key-rate for other domains, cmtp.local-key-rate for ours (enumeration). */
    private boolean mayLookUp(String domain, ClientInfo client) {
        return foreignKeyRequests.allows(domain, client) && accountLookups.allows(domain, client);
    }

    @Override
    public Reply login(Command.Login request, ClientInfo client) {
        if (!loginLimiter.allows(client)) {
            LOG.info(() -> "CMTP LOGIN refused for " + client.remoteHost() + ": more than cmtp.login-rate per minute");
            return status(StatusWord.FAILURE, new byte[0]);
        }
        Optional<Account> account = accounts.findReadOnly(request.user()).filter(Account::isEnabled);
        if (account.isEmpty()) {
            return status(StatusWord.FAILURE, new byte[0]);
        }
        byte[] xzibit = account.get().getXzibit();
        return new LoginReply(xzibit, identity.sign(xzibit));
    }

    /**
     * Stores the message for a local account, queues it for another domain, or refuses it
     * ({@link MailIntake}). A stored message is reported back as a
     * {@link MailOutcome#delivered local delivery}, with the exact stored bytes and mailbox
     * id, so that the adapter hands it to applications listening for the account.
     */
    @Override
    public MailOutcome mail(Command.Mail mail, ClientInfo client) {
        return intake.accept(mail.message(), client, configuration.relayNetworks().allows(client.remoteAddress()));
    }

    @Override
    public SignedStatus status(StatusWord word, byte[] context) {
        return new SignedStatus(word, identity.sign(SignedStatus.bytesToSign(word, context)));
    }

    private KeyReply keyReply(byte[] publicKey) {
        return new KeyReply(publicKey, identity.sign(publicKey));
    }
}
