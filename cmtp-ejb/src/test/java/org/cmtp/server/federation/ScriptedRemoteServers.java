package org.cmtp.server.federation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cmtp.client.CmtpClient;
import org.cmtp.protocol.DomainNames;

/**
 * {@link RemoteServers} without DNS, pins and dial policy, for unit tests of what the relay
 * and the key directory do with another domain's answers. Every domain's server is the one
 * at {@link #answerAt} (a {@code ScriptedServer} of cmtp-core's tests on a loopback socket),
 * talked to by a real {@link org.cmtp.client.CmtpClient}, which checks every signature as in
 * production; its key is trusted as presented (pins are {@code ServerKeyPins}' business and
 * tested with it). With no server set, or when the conversation fails, the attempt fails
 * with a {@link RemoteDomainException} as RemoteServers' does after the last host.
 */
public class ScriptedRemoteServers extends RemoteServers {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private volatile InetSocketAddress server;
    /** The domains asked for, in canonical form, one entry per attempt. */
    public final List<String> attempts = new CopyOnWriteArrayList<>();

    /** From now on every domain's server is at {@code address}; null: none answers. */
    public void answerAt(InetSocketAddress address) {
        server = address;
    }

    @Override
    public <T> T deliver(String requestedDomain, Deliveries<T> conversation) throws RemoteDomainException {
        String domain = DomainNames.canonical(requestedDomain);
        attempts.add(domain);
        InetSocketAddress address = server;
        if (address == null) {
            throw new RemoteDomainException("no CMTP server of " + domain + " answered: mx." + domain
                    + ": timed out (scripted)");
        }
        try (CmtpClient client = CmtpClient.connect(address, TIMEOUT, TIMEOUT)) {
            return conversation.with(client, client.serverKey(), () -> { });
        } catch (IOException e) {
            throw new RemoteDomainException("no CMTP server of " + domain + " answered: " + e.getMessage(), e);
        }
    }
}
