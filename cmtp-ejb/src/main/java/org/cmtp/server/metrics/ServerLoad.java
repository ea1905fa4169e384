package org.cmtp.server.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.ra.api.CmtpPorts;
import org.cmtp.server.relay.RelayQueue;

/**
 * What this server holds right now: messages waiting in the relay queue (the domain's) and
 * CMTP connections open (this instance's). Read by the gauges of {@link ServerMeters} at
 * every scrape and by {@code GET /api/stats}, so both report the same numbers.
 */
@ApplicationScoped
public class ServerLoad {

    private static final Logger LOG = Logger.getLogger(ServerLoad.class.getName());

    @Inject
    private RelayQueue queue;

    /** Messages waiting in the relay queue, or -1 when the database cannot be asked (a scrape never fails for it). */
    public long queueDepth() {
        try {
            return queue.depth();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "queue depth unavailable", e);
            return -1;
        }
    }

    public long openConnections() {
        return CmtpPorts.openConnections();
    }
}
