package org.cmtp.health;

import java.time.Instant;
import java.util.Optional;

/**
 * What the health checks ask the running server. The EJB module implements it and
 * installs it ({@link InstalledProbes}) when the application starts; the checks live apart from
 * the server's classes (in the EAR's {@code lib/}, where WildFly's MicroProfile Health
 * subsystem finds them, ADR 0039) and see the server only through this. Plain JDK types
 * only: the implementation must load where no MicroProfile Health API exists.
 */
public interface ServerProbes {

    /** Counts the accounts: a query that needs the database to answer; throws when it does not. */
    long countAccounts();

    /** When the relay worker last finished a round; null before its first. */
    Instant relayWorkerLastRun();

    /** Whether the server key has been read from the migrated database. */
    boolean serverKeyLoaded();

    /** CMTP listeners open now. */
    int cmtpListenersOpen();

    /** The host a client connects to for the CMTP listener ({@code cmtp.bind}, the wildcard meaning loopback). */
    String cmtpHost();

    /** The CMTP port ({@code cmtp.port}). */
    int cmtpPort();

    /** Why the CMTP listener's accept loop is failing, if it is. */
    Optional<String> cmtpAcceptProblem();
}
