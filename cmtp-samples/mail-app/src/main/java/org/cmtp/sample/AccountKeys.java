package org.cmtp.sample;

import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.ra.api.CmtpConnection;
import org.cmtp.ra.api.CmtpConnectionFactory;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The key pairs of the accounts this application reads, fetched once per account with
 * LOGIN through the application's connection factory and opened with the account's
 * password from MicroProfile Config ({@code sample.password.<account>}, e.g. the
 * environment variable {@code SAMPLE_PASSWORD_ORDERS}).
 *
 * <p>Also defines that factory, {@value #FACTORY}: a {@code java:app} name belongs to one
 * application, so each application that uses the adapter defines its own, with the same
 * annotation as the server (README, "Sending from an application").
 */
@ConnectionFactoryDefinition(
        name = AccountKeys.FACTORY,
        description = "Connections to this CMTP server (cmtp-ra outbound), for the sample application",
        interfaceName = "org.cmtp.ra.api.CmtpConnectionFactory",
        resourceAdapter = "cmtp-ra",
        transactionSupport = TransactionSupportLevel.NoTransaction,
        minPoolSize = 0,
        maxPoolSize = 8,
        properties = {
            "org.glassfish.connector-connection-pool.idle-timeout-in-seconds=60",
            "org.glassfish.connector-connection-pool.is-connection-validation-required=true"
        })
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AccountKeys {

    public static final String FACTORY = "java:app/cmtp/ConnectionFactory";

    private static final Logger LOG = Logger.getLogger(AccountKeys.class.getName());

    @Resource(lookup = FACTORY)
    private CmtpConnectionFactory cmtp;

    private final Map<String, Ed25519KeyPair> keys = new HashMap<>();

    /** The key pair of {@code account}: LOGIN and open the xzibit the first time, then from memory. */
    public Ed25519KeyPair of(String account) throws ResourceException {
        Ed25519KeyPair known = keys.get(account);
        if (known != null) {
            return known;
        }
        char[] password = ConfigProvider.getConfig().getValue("sample.password." + account, String.class).toCharArray();
        try (CmtpConnection connection = cmtp.getConnection()) {
            Ed25519KeyPair pair = connection.login(account, password);
            keys.put(account, pair);
            LOG.info(() -> "sample: logged in as " + account + " to open its mail");
            return pair;
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }
}
