package org.cmtp.web.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import org.cmtp.server.config.CmtpConfiguration;

/**
 * Slows down password guessing on the admin API: after {@code cmtp.admin-login-failures}
 * failed logins from one client, that client is locked out for {@code cmtp.admin-lockout}
 * seconds, twice as long after each further failure (up to an hour). A successful login
 * clears its count; failures are forgotten after a quiet hour. Per instance, in memory.
 * <p>
 * A client is what {@link org.cmtp.ra.api.ClientNetwork} makes of its address: an IPv4
 * address, or an IPv6 /64 (one host holds a whole /64). Each password check is
 * {@linkplain #admit admitted} first: an admission reserves one of the client's remaining
 * attempts, so that many requests sent at once cannot all reach the (costly, PBKDF2)
 * password check before the first of them is counted. A client that is locked out, or
 * whose remaining attempts are all being checked right now, is refused before any check.
 * Every change of a client's record is one atomic step on an immutable value, so parallel
 * requests lose no count.
 */
@ApplicationScoped
public class AdminLoginGuard {

    private static final Logger LOG = Logger.getLogger(AdminLoginGuard.class.getName());
    private static final long MAX_LOCKOUT_MILLIS = Duration.ofHours(1).toMillis();
    private static final long FORGET_AFTER_MILLIS = Duration.ofHours(1).toMillis();
    /** What a client is told to wait while its last attempts are still being checked. */
    private static final long BUSY_WAIT_MILLIS = 1000;
    private static final int SWEEP_ABOVE = 10_000;

    @Inject
    private CmtpConfiguration configuration;

    private int allowedFailures;
    private long firstLockoutMillis;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    /**
     * One client's record: failures counted, when the last one was, until when it is
     * locked out, and how many of its attempts are being checked right now.
     */
    private record Failures(int count, long last, long lockedUntil, int checking) {

        static final Failures NONE = new Failures(0, 0, 0, 0);

        boolean quietSince(long millis) {
            return checking == 0 && last < millis;
        }
    }

    public AdminLoginGuard() {
    }

    /** A guard with these settings, outside a container (tests). */
    AdminLoginGuard(int allowedFailures, long firstLockoutMillis) {
        this.allowedFailures = allowedFailures;
        this.firstLockoutMillis = firstLockoutMillis;
    }

    @PostConstruct
    void read() {
        allowedFailures = configuration.adminLoginFailures();
        firstLockoutMillis = configuration.adminLockoutSeconds() * 1000;
    }

    /**
     * Asks to check one password from {@code client}.
     *
     * @return 0 if it may be checked now: one attempt is then reserved, and the caller must
     *         end it with exactly one of {@link #failed}, {@link #succeeded} or
     *         {@link #abandoned}; otherwise the milliseconds the client must wait, and
     *         nothing may be checked
     */
    public long admit(String client, long now) {
        if (allowedFailures <= 0) {
            return 0;
        }
        sweepIfLarge(now);
        long[] wait = {0};
        failures.compute(client, (key, known) -> {
            Failures f = known == null || known.quietSince(now - FORGET_AFTER_MILLIS) && known.lockedUntil <= now
                    ? Failures.NONE : known;
            if (f.lockedUntil > now) {
                wait[0] = f.lockedUntil - now;
                return known;
            }
            // Attempts left before the lockout; after a lockout ran out, one at a time.
            int mayCheckAtOnce = Math.max(1, allowedFailures - f.count);
            if (f.checking >= mayCheckAtOnce) {
                wait[0] = BUSY_WAIT_MILLIS;
                return known;
            }
            return new Failures(f.count, f.last, f.lockedUntil, f.checking + 1);
        });
        return wait[0];
    }

    /** The admitted attempt of {@code client} had a wrong password: counted, and maybe a lockout. */
    public void failed(String client, long now) {
        if (allowedFailures <= 0) {
            return;
        }
        Failures after = failures.compute(client, (key, known) -> {
            Failures f = known == null ? Failures.NONE : known;
            int count = f.last < now - FORGET_AFTER_MILLIS ? 1 : f.count + 1;
            long lockedUntil = f.lockedUntil;
            if (count >= allowedFailures) {
                lockedUntil = now + lockout(count);
            }
            return new Failures(count, now, lockedUntil, Math.max(0, f.checking - 1));
        });
        if (after.count >= allowedFailures) {
            LOG.warning(() -> "CMTP admin login: " + after.count + " failures from " + client + ", locked out for "
                    + lockout(after.count) / 1000 + " s");
        }
    }

    /** The admitted attempt of {@code client} was right: its count is cleared. */
    public void succeeded(String client) {
        if (allowedFailures <= 0) {
            return;
        }
        failures.computeIfPresent(client, (key, f) -> f.checking <= 1 ? null
                : new Failures(0, f.last, 0, f.checking - 1));
    }

    /**
     * {@code client} signed in without an admitted check (a password verified moments ago): its count is
     * cleared like after {@link #succeeded}; attempts of it being checked right now stay reserved.
     */
    public void cleared(String client) {
        if (allowedFailures <= 0) {
            return;
        }
        failures.computeIfPresent(client, (key, f) -> f.checking == 0 ? null : new Failures(0, f.last, 0, f.checking));
    }

    /** The admitted attempt of {@code client} ended without an answer (an error): nothing counted. */
    public void abandoned(String client) {
        if (allowedFailures <= 0) {
            return;
        }
        failures.computeIfPresent(client, (key, f) -> f.count == 0 && f.checking <= 1 ? null
                : new Failures(f.count, f.last, f.lockedUntil, Math.max(0, f.checking - 1)));
    }

    /** Milliseconds {@code client} must still wait before it may try again; 0 if it may now. */
    public long lockedFor(String client, long now) {
        Failures f = failures.get(client);
        return f == null ? 0 : Math.max(0, f.lockedUntil - now);
    }

    /** Failures counted for {@code client} (tests, and a look from a debugger). */
    int failures(String client) {
        Failures f = failures.get(client);
        return f == null ? 0 : f.count;
    }

    private long lockout(int count) {
        int doublings = Math.min(count - allowedFailures, 20);
        return Math.min(MAX_LOCKOUT_MILLIS, firstLockoutMillis << doublings);
    }

    /**
     * Forgets clients quiet for an hour once many are known. A record is removed only if it
     * is still the very value that was found quiet, so a concurrent update is never lost.
     */
    private void sweepIfLarge(long now) {
        if (failures.size() > SWEEP_ABOVE) {
            failures.values().removeIf(f -> f.quietSince(now - FORGET_AFTER_MILLIS) && f.lockedUntil < now);
        }
    }
}
