package org.cmtp.web.security;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

import org.cmtp.ra.api.ClientNetwork;
import org.cmtp.server.admin.AdminPassword;
import org.cmtp.web.api.CrossSiteRequestFilter;
import org.cmtp.web.api.ProblemException;

/**
 * HTTP Basic for the admin API, as {@code @BasicAuthenticationMechanismDefinition} did it,
 * plus the lockout of {@link AdminLoginGuard}: a locked-out client (an IPv4 address or an
 * IPv6 /64) gets 429 with {@code Retry-After} (a problem document) and its credentials are
 * not even checked, so a locked-out attacker costs no PBKDF2 run.
 * <p>
 * A request carrying {@code X-Requested-By} (the web console sends it on every call) gets
 * its 401 as a problem document without {@code WWW-Authenticate}: with that header the
 * browser would pop up its own login dialog over the console's sign-in form. Scripts and
 * browsers navigating to the API still get the Basic challenge (ADR 0008).
 */
@ApplicationScoped
public class AdminAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String REALM = "CMTP administration";

    @Inject
    private IdentityStoreHandler identityStores;
    @Inject
    private AdminLoginGuard guard;
    @EJB
    private AdminPassword adminPassword;
    @Inject
    private AdminSurfaces surfaces;
    /** Whether the request's client may reach what it asks for (cmtp.admin-networks). */
    private Predicate<HttpServletRequest> reachable;
    /** Credentials accepted in the last minutes (no PBKDF2 needed); see {@link AdminPassword#recentlyVerified}. */
    private BiPredicate<String, char[]> recentlyVerified;

    public AdminAuthenticationMechanism() {
    }

    /** A mechanism with these collaborators, outside a container (tests). */
    AdminAuthenticationMechanism(IdentityStoreHandler identityStores, AdminLoginGuard guard,
            BiPredicate<String, char[]> recentlyVerified) {
        this.identityStores = identityStores;
        this.guard = guard;
        this.recentlyVerified = recentlyVerified;
        this.reachable = request -> true;
    }

    @PostConstruct
    void useCredentials() {
        recentlyVerified = adminPassword::recentlyVerified;
        reachable = surfaces::allows;
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        if (!reachable.test(request)) {
            // before any credential is looked at: from outside the admin networks no
            // password can even be tried (AdminNetworkFilter covers unguarded paths)
            return problem(response, new ProblemException(Response.Status.FORBIDDEN, null, AdminSurfaces.refusal()));
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return context.isProtected() ? challenge(request, response, context, "sign in as the administrator")
                    : context.doNothing();
        }
        String client = ClientNetwork.of(request.getRemoteAddr());
        long now = System.currentTimeMillis();
        long locked = guard.lockedFor(client, now);
        if (locked > 0) {
            return tooManyFailures(response, (locked + 999) / 1000); // refused before any password check
        }
        String[] userAndPassword = decode(authorization.substring(6).trim());
        if (userAndPassword != null && recentlyVerified.test(userAndPassword[0], userAndPassword[1].toCharArray())) {
            // the console's every request: known good, costs a digest, not PBKDF2, so not rationed;
            // a success still clears this client's count, as a checked password does
            AuthenticationStatus status = login(context, userAndPassword);
            if (status == AuthenticationStatus.SUCCESS) {
                guard.cleared(client);
            }
            return status;
        }
        long wait = guard.admit(client, now);
        if (wait > 0) {
            return tooManyFailures(response, (wait + 999) / 1000); // refused before any password check
        }
        CredentialValidationResult result;
        try {
            result = userAndPassword == null ? CredentialValidationResult.INVALID_RESULT : check(userAndPassword);
        } catch (RuntimeException | Error e) {
            guard.abandoned(client);
            throw e;
        }
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            guard.succeeded(client);
            return context.notifyContainerAboutLogin(result);
        }
        guard.failed(client, System.currentTimeMillis());
        return challenge(request, response, context, "wrong user name or password");
    }

    /** The identity store's verdict on a user name and password: a PBKDF2 hash check unless recently verified. */
    private CredentialValidationResult check(String[] userAndPassword) {
        return identityStores.validate(new UsernamePasswordCredential(userAndPassword[0], userAndPassword[1]));
    }

    private AuthenticationStatus login(HttpMessageContext context, String[] userAndPassword) {
        CredentialValidationResult result = check(userAndPassword);
        return result.getStatus() == CredentialValidationResult.Status.VALID
                ? context.notifyContainerAboutLogin(result) : context.responseUnauthorized();
    }

    private static AuthenticationStatus challenge(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context, String detail) {
        if (request.getHeader(CrossSiteRequestFilter.HEADER) != null) {
            return problem(response, new ProblemException(Response.Status.UNAUTHORIZED, null, detail));
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        return context.responseUnauthorized();
    }

    private static AuthenticationStatus tooManyFailures(HttpServletResponse response, long retryAfterSeconds) {
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        return problem(response, new ProblemException(Response.Status.TOO_MANY_REQUESTS, null,
                "too many failed logins from this address: try again in " + retryAfterSeconds + " s"));
    }

    /** Answers with a problem document ({@link ServletProblem}); the container sends nothing more. */
    private static AuthenticationStatus problem(HttpServletResponse response, ProblemException problem) {
        try {
            ServletProblem.write(response, problem);
        } catch (IOException e) {
            // the client went away
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    /** {@code user:password} from Basic credentials; null if they are not Base64 or have no colon. */
    private static String[] decode(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
