package org.cmtp.server.inbound;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.ClientNetwork;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.config.SlidingWindowLimiter;

/**
 * {@code cmtp.login-rate}: LOGIN hands out an account's xzibit, which can be attacked
 * offline with guessed passwords, so one client address gets only so many per minute.
 * IPv6 clients are counted per /64 ({@link ClientNetwork}): one host holds a whole /64.
 * Per instance: several instances behind one address each count on their own.
 */
@ApplicationScoped
public class LoginRateLimiter {

    @Inject
    private CmtpConfiguration configuration;

    private SlidingWindowLimiter limiter;

    @PostConstruct
    void create() {
        limiter = new SlidingWindowLimiter(configuration.loginRate(), 60_000);
    }

    public boolean allows(ClientInfo client) {
        return limiter.tryAcquire(ClientNetwork.of(client.remoteAddress()), System.currentTimeMillis());
    }
}
