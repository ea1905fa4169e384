package org.cmtp.health;

import java.util.Optional;

/**
 * The one slot through which the checks find the running server's {@link ServerProbes}:
 * one per application, since each has its own class loader. Apart from the interface,
 * which is an EJB's business interface, where static methods draw warnings on WildFly.
 */
public final class InstalledProbes {

    private static volatile ServerProbes probes;

    private InstalledProbes() {
    }

    /** The probes of the running server; empty before it installed them and after it stopped. */
    public static Optional<ServerProbes> get() {
        return Optional.ofNullable(probes);
    }

    /** Called by the server when it has started. */
    public static void install(ServerProbes running) {
        probes = running;
    }

    /** Called by the server when it stops: the checks answer DOWN from then on. */
    public static void uninstall() {
        probes = null;
    }
}
