package org.cmtp.web.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import org.cmtp.server.config.CmtpConfiguration;

/**
 * Slows down password guessing on the admin API: after {@code cmtp.admin-login-failures}
 * failed logins from one client address, that address is locked out for
 * {@code cmtp.admin-lockout} seconds, twice as long after each further failure (up to an
 * hour). A successful login clears its count; failures are forgotten after a quiet hour.
 * Per instance, in memory.
 */
@ApplicationScoped
public class AdminLoginGuard {

    private static final Logger LOG = Logger.getLogger(AdminLoginGuard.class.getName());
    private static final long MAX_LOCKOUT_MILLIS = Duration.ofHours(1).toMillis();
    private static final long FORGET_AFTER_MILLIS = Duration.ofHours(1).toMillis();
    private static final int SWEEP_ABOVE = 10_000;

    @Inject
    private CmtpConfiguration configuration;

    private int allowedFailures;
    private long firstLockoutMillis;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private static final class Failures {
        int count;
        long last;
        long lockedUntil;
    }

    @PostConstruct
    void read() {
        allowedFailures = configuration.adminLoginFailures();
        firstLockoutMillis = configuration.adminLockoutSeconds() * 1000;
    }

    /** Milliseconds {@code client} must still wait before it may try again; 0 if it may now. */
    public long lockedFor(String client, long now) {
        Failures entry = failures.get(client);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            return Math.max(0, entry.lockedUntil - now);
        }
    }

    public void failed(String client, long now) {
        if (allowedFailures <= 0) {
            return;
        }
        if (failures.size() > SWEEP_ABOVE) {
            failures.values().removeIf(f -> f.last < now - FORGET_AFTER_MILLIS && f.lockedUntil < now);
        }
        Failures entry = failures.computeIfAbsent(client, c -> new Failures());
        synchronized (entry) {
            if (entry.last < now - FORGET_AFTER_MILLIS) {
                entry.count = 0;
            }
            entry.count++;
            entry.last = now;
            if (entry.count >= allowedFailures) {
                int doublings = Math.min(entry.count - allowedFailures, 20);
                long lockout = Math.min(MAX_LOCKOUT_MILLIS, firstLockoutMillis << doublings);
                entry.lockedUntil = now + lockout;
                int count = entry.count;
                LOG.warning(() -> "CMTP admin login: " + count + " failures from " + client + ", locked out for "
                        + lockout / 1000 + " s");
            }
        }
    }

    public void succeeded(String client) {
        failures.remove(client);
    }
}
