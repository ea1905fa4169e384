package org.cmtp.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The admin API's Basic authentication with its lockout, driven as the container drives
 * it; the identity store counts its password checks (each one a PBKDF2 run in the server).
 */
class AdminAuthenticationMechanismTest {

    private static final String RIGHT = "the admin's password";
    private static final int ALLOWED = 3;

    private final AtomicInteger passwordChecks = new AtomicInteger();
    private volatile CountDownLatch slowChecks = new CountDownLatch(0);

    private final IdentityStoreHandler store = credential -> {
        passwordChecks.incrementAndGet();
        try {
            slowChecks.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        UsernamePasswordCredential given = (UsernamePasswordCredential) credential;
        return given.compareTo("admin", RIGHT) ? new CredentialValidationResult("admin", Set.of("admin"))
                : CredentialValidationResult.INVALID_RESULT;
    };
    private final AdminAuthenticationMechanism mechanism = new AdminAuthenticationMechanism(store,
            new AdminLoginGuard(ALLOWED, 60_000), (user, password) -> false);

    @Test
    void aLockedOutAddressGetsNoPasswordCheckAtAll() {
        for (int i = 0; i < ALLOWED; i++) {
            assertEquals(401, login("192.0.2.7", "guess " + i));
        }
        assertEquals(ALLOWED, passwordChecks.get());
        for (int i = 0; i < 50; i++) {
            assertEquals(429, login("192.0.2.7", "guess again " + i));
        }
        assertEquals(429, login("192.0.2.7", RIGHT), "not even the right password is looked at");
        assertEquals(ALLOWED, passwordChecks.get(), "no PBKDF2 run for a locked-out address");
        assertEquals(200, login("192.0.2.8", RIGHT), "another address is not affected");
    }

    @Test
    void aSuccessWithARecentlyVerifiedPasswordClearsTheCountToo() {
        // the console's requests skip the PBKDF2 check for a password verified moments ago (from anywhere)
        AdminAuthenticationMechanism cached = new AdminAuthenticationMechanism(store,
                new AdminLoginGuard(ALLOWED, 60_000), (user, password) -> new String(password).equals(RIGHT));
        for (int i = 0; i < ALLOWED - 1; i++) {
            assertEquals(401, login(cached, "192.0.2.9", "guess " + i));
        }
        assertEquals(200, login(cached, "192.0.2.9", RIGHT));
        for (int i = 0; i < ALLOWED - 1; i++) {
            assertEquals(401, login(cached, "192.0.2.9", "after the success " + i), "the count started again");
        }
        assertEquals(401, login(cached, "192.0.2.9", "the last allowed"));
        assertEquals(429, login(cached, "192.0.2.9", "one too many"));
    }

    @Test
    void anIpv6AttackerIsCountedPerSlash64() {
        for (int i = 0; i < ALLOWED; i++) {
            assertEquals(401, login("2001:db8:1:2::" + (i + 1), "guess " + i), "each from a new address of one /64");
        }
        assertEquals(429, login("2001:db8:1:2:ffff::99", "guess"), "the whole /64 is locked out");
        assertEquals(401, login("0:0:0:0:0:0:0:1", "guess"), "::1 is another network");
        assertEquals(401, login("2001:db8:1:3::1", "guess"), "the next /64 is someone else");
    }

    @Test
    void aBurstOfParallelGuessesGetsOnlyTheAllowedChecks() throws Exception { // (the race of the old code)
        int requests = 30;
        slowChecks = new CountDownLatch(1); // every check waits until all requests were answered or are waiting
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int r = 0; r < requests; r++) {
                int n = r;
                statuses.add(pool.submit(() -> login("192.0.2.9", "parallel guess " + n)));
            }
            // the refused requests return at once; then let the checks finish
            long refused = 0;
            while (refused < requests - ALLOWED) {
                refused = statuses.stream().filter(Future::isDone).count();
                Thread.sleep(5);
            }
            slowChecks.countDown();
            int unauthorized = 0;
            int tooMany = 0;
            for (Future<Integer> status : statuses) {
                int code = status.get(60, TimeUnit.SECONDS);
                unauthorized += code == 401 ? 1 : 0;
                tooMany += code == 429 ? 1 : 0;
            }
            assertEquals(ALLOWED, unauthorized, "only the allowed number of guesses was checked");
            assertEquals(requests - ALLOWED, tooMany);
            assertEquals(ALLOWED, passwordChecks.get());
        } finally {
            slowChecks.countDown();
            pool.shutdownNow();
        }
        assertEquals(429, login("192.0.2.9", "one more"), "locked out afterwards");
    }

    /** One request with Basic credentials from {@code address}: the HTTP status it got (200 = signed in). */
    private int login(String address, String password) {
        return login(mechanism, address, password);
    }

    private int login(AdminAuthenticationMechanism mechanism, String address, String password) {
        int[] status = {200};
        HttpServletRequest request = proxy(HttpServletRequest.class, (method, args) -> switch (method) {
            case "getHeader" -> "Authorization".equals(args[0]) ? "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)) : null;
            case "getRemoteAddr" -> address;
            default -> null;
        });
        HttpServletResponse response = proxy(HttpServletResponse.class, (method, args) -> {
            if (method.equals("setStatus")) {
                status[0] = (Integer) args[0];
            } else if (method.equals("getOutputStream")) {
                return new DiscardingStream();
            }
            return null;
        });
        HttpMessageContext context = proxy(HttpMessageContext.class, (method, args) -> switch (method) {
            case "isProtected" -> true;
            case "notifyContainerAboutLogin" -> AuthenticationStatus.SUCCESS;
            case "responseUnauthorized" -> {
                status[0] = 401;
                yield AuthenticationStatus.SEND_FAILURE;
            }
            default -> AuthenticationStatus.NOT_DONE;
        });
        mechanism.validateRequest(request, response, context);
        return status[0];
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.answer(method.getName(), args)));
    }

    private static final class DiscardingStream extends ServletOutputStream {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) {
        }
    }
}
