package org.cmtp.server.federation;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cmtp.client.CmtpClient;
import org.cmtp.server.dns.DeliveryTarget;
import org.cmtp.server.dns.MxLookupException;
import org.cmtp.server.dns.MxResolver;

/**
 * Talks to another domain's CMTP server: finds its servers through DNS (or a static
 * route), tries them in MX order, and before anything else checks the server key
 * against the pin — so every answer used later is signed by the pinned key. A server that
 * advertises address-bound key replies (KEYBIND, PROTOCOL.md §4a) is remembered as such in
 * its pin, and asked only with KEYBIND from then on ({@link CmtpClient#requireKeyBind()}).
 */
@ApplicationScoped
public class RemoteServers {

    /** One conversation with a remote server whose key has been checked. */
    @FunctionalInterface
    public interface Conversation<T> {
        T with(CmtpClient client, byte[] serverKey) throws IOException;
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    private MxResolver resolver;
    @EJB
    private KnownServers pins;

    public <T> T talkTo(String domain, Conversation<T> conversation)
            throws RemoteDomainException, ServerKeyChangedException {
        List<DeliveryTarget> targets;
        try {
            targets = resolver.resolve(domain).targets();
        } catch (MxLookupException e) {
            throw new RemoteDomainException("cannot find the CMTP servers of " + domain + ": " + e.getMessage(), e);
        }
        if (targets.isEmpty()) {
            throw new RemoteDomainException(domain + " accepts no CMTP mail (null MX)");
        }
        List<String> failures = new ArrayList<>();
        for (DeliveryTarget target : targets) {
            try (CmtpClient client = CmtpClient.connect(target.address(), CONNECT_TIMEOUT, READ_TIMEOUT)) {
                boolean keyBindKnown = pins.requiresKeyBind(domain);
                if (keyBindKnown) {
                    client.requireKeyBind(); // never downgraded by a stripped OHAI line
                }
                byte[] key = client.serverKey();
                pins.check(domain, key);
                if (!keyBindKnown && client.usesKeyBind()) {
                    pins.keyBindSeen(domain);
                }
                return conversation.with(client, key);
            } catch (IOException e) { // CmtpClientException included
                failures.add(target + ": " + e.getMessage());
            }
        }
        throw new RemoteDomainException("no CMTP server of " + domain + " answered: " + String.join("; ", failures));
    }
}
