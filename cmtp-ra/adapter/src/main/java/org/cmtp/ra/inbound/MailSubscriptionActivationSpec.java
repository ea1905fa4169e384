package org.cmtp.ra.inbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.cmtp.message.MailAddress;
import org.cmtp.wire.InvalidAddressException;

/**
 * One application's subscription to the mail of some of this server's accounts: the
 * activation of a message-driven bean that implements
 * {@link org.cmtp.ra.api.CmtpMailListener}. It opens no socket; the adapter hands the bean
 * every message the server stores for one of {@link #getAccounts() accounts}.
 *
 * <p>Property {@code accounts} (required): account names, comma-separated, e.g.
 * {@code "orders, billing"}; blanks around names are ignored. Each name must be a valid
 * account name (PROTOCOL.md §7). Names are matched exactly, as the server stores them.
 * An account that does not exist (yet) is allowed: it simply receives nothing.
 */
public class MailSubscriptionActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;
    private String accounts;

    @Override
    public void validate() throws InvalidPropertyException {
        accountNames();
    }

    /**
     * @return the account names, in the order given, without duplicates
     * @throws InvalidPropertyException naming the property when it is missing, empty, has
     *                                  an empty entry or an invalid name
     */
    public Set<String> accountNames() throws InvalidPropertyException {
        if (accounts == null || accounts.isBlank()) {
            throw invalid("is required: the account names whose mail this endpoint receives, comma-separated");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String entry : accounts.split(",", -1)) {
            String name = entry.strip();
            if (name.isEmpty()) {
                throw invalid("has an empty entry: '" + accounts + "'");
            }
            try {
                MailAddress.validateName("account name", name);
            } catch (InvalidAddressException e) {
                throw invalid("names an invalid account '" + name + "': " + e.getMessage());
            }
            names.add(name);
        }
        return Collections.unmodifiableSet(names);
    }

    private static InvalidPropertyException invalid(String problem) {
        return new InvalidPropertyException("CMTP activation property accounts " + problem);
    }

    public String getAccounts() {
        return accounts;
    }

    public void setAccounts(String accounts) {
        this.accounts = accounts;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = Objects.requireNonNull(resourceAdapter);
    }

    @Override
    public String toString() {
        return "CMTP mail of accounts " + accounts;
    }
}
