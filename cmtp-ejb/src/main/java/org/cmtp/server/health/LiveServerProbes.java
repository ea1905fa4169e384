package org.cmtp.server.health;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Local;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

import java.time.Instant;
import java.util.Optional;

import org.cmtp.health.InstalledProbes;
import org.cmtp.health.ServerProbes;
import org.cmtp.ra.ListenerAddress;
import org.cmtp.ra.api.CmtpPorts;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.server.relay.RelayWorker;

/**
 * The running server as the health checks (module {@code cmtp-health}) see it: installed
 * for them when the application starts, removed when it stops. The checks cannot reach the
 * server's beans themselves: on WildFly they live in the EAR's {@code lib/}, which sees
 * neither this module nor the RAR (ADR 0039). What is installed is the container's proxy,
 * so every call goes through the container like any other EJB call.
 */
@Singleton
@Startup
@Local(ServerProbes.class)
@Lock(LockType.READ) // probes run at once, each on its own
public class LiveServerProbes implements ServerProbes {

    @Resource
    private SessionContext context;
    @EJB
    private AccountService accounts;
    @EJB
    private RelayWorker relayWorker;
    @EJB
    private ServerIdentity identity;

    @PostConstruct
    void install() {
        InstalledProbes.install(context.getBusinessObject(ServerProbes.class));
    }

    @PreDestroy
    void uninstall() {
        InstalledProbes.uninstall();
    }

    @Override
    public long countAccounts() {
        return accounts.count(null);
    }

    @Override
    public Instant relayWorkerLastRun() {
        return relayWorker.lastRun();
    }

    @Override
    public boolean serverKeyLoaded() {
        return identity.publicKey().length == 32;
    }

    @Override
    public int cmtpListenersOpen() {
        return CmtpPorts.open().size();
    }

    @Override
    public String cmtpHost() {
        return ListenerAddress.localHost();
    }

    @Override
    public int cmtpPort() {
        return ListenerAddress.port();
    }

    @Override
    public Optional<String> cmtpAcceptProblem() {
        return CmtpPorts.acceptProblem();
    }
}
