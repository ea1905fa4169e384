package org.cmtp.server.inbound;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.ClientNetwork;
import org.cmtp.server.config.SlidingWindowLimiter;

/**
 * At most {@code perMinute} requests per client and minute (sliding window), a client
 * being one IPv4 address or one IPv6 /64 ({@link ClientNetwork}); a refusal is logged at
 * most once a minute per client, so a flood of refused requests does not flood the log.
 * Per instance. What the key request limits have in common.
 */
final class PerClientRate {

    private final int perMinute;
    private final String setting;
    private final Logger log;
    private final LongSupplier clock;
    private final SlidingWindowLimiter limiter;
    private final SlidingWindowLimiter logged = new SlidingWindowLimiter(1, 60_000);

    /**
     * @param perMinute requests allowed per client and minute; 0: no limit
     * @param setting the configuration key, named in the log line
     */
    PerClientRate(int perMinute, String setting, Logger log, LongSupplier clock) {
        this.perMinute = perMinute;
        this.setting = setting;
        this.log = log;
        this.clock = clock;
        this.limiter = new SlidingWindowLimiter(perMinute, 60_000);
    }

    /** Counts one request of {@code client}; false (logged as a refused {@code what}) when it is over the rate. */
    boolean allows(ClientInfo client, Supplier<String> what) {
        String key = ClientNetwork.of(client.remoteAddress());
        long now = clock.getAsLong();
        if (limiter.tryAcquire(key, now)) {
            return true;
        }
        if (logged.tryAcquire(key, now)) {
            log.info(() -> "CMTP " + what.get() + " refused for " + client.remoteHost() + ": more than " + setting
                    + " (" + perMinute + ") per minute from " + key + " (logged once a minute per client)");
        }
        return false;
    }
}
