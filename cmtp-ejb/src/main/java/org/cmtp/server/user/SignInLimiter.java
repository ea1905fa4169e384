package org.cmtp.server.user;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cmtp.ra.api.ClientNetwork;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.config.SlidingWindowLimiter;

/**
 * {@code cmtp.signin-rate}: sign-in attempts (xzibit fetches, challenges and proofs) per
 * minute, counted per client address (IPv6: per /64) and, separately, per account, so that neither one
 * address trying many accounts nor many addresses trying one account get far. The xzibit
 * is public by design; its safety rests on the password, so guessing is slowed here too.
 * Per instance.
 */
@ApplicationScoped
public class SignInLimiter {

    @Inject
    private CmtpConfiguration configuration;

    private SlidingWindowLimiter byAddress;
    private SlidingWindowLimiter byAccount;

    @PostConstruct
    void create() {
        byAddress = new SlidingWindowLimiter(configuration.signInRate(), 60_000);
        byAccount = new SlidingWindowLimiter(configuration.signInRate(), 60_000);
    }

    /** @throws UserAccessException TOO_MANY when the address or the account is over the rate */
    public void attempt(String clientAddress, String account) {
        long now = System.currentTimeMillis();
        if (!byAddress.tryAcquire(ClientNetwork.of(clientAddress), now) || !byAccount.tryAcquire(String.valueOf(account), now)) {
            throw new UserAccessException(UserAccessException.Kind.TOO_MANY, null,
                    "too many sign-in attempts from this address or for this account: wait a minute (cmtp.signin-rate)");
        }
    }
}
