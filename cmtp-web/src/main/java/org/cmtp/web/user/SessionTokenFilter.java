package org.cmtp.web.user;

import jakarta.annotation.Priority;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.Optional;

import org.cmtp.server.account.Account;
import org.cmtp.server.user.UserSessions;
import org.cmtp.web.api.ProblemException;

/**
 * Lets a {@link SignedIn} request through only with {@code Authorization: Bearer TOKEN} of a
 * live session whose account exists and is enabled; the account is then the request's
 * {@link #ACCOUNT} property. Anything else: 401 with {@code WWW-Authenticate: Bearer}.
 */
@Provider
@SignedIn
@Priority(Priorities.AUTHENTICATION)
public class SessionTokenFilter implements ContainerRequestFilter {

    /** The request property holding the signed-in {@link Account}. */
    public static final String ACCOUNT = "org.cmtp.user.account";
    /** The request property holding the id of the session the token belongs to. */
    public static final String SESSION_ID = "org.cmtp.user.session";

    @EJB
    private UserSessions sessions;

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(request, "sign in first: this needs Authorization: Bearer TOKEN (POST /api/user/signin)");
            return;
        }
        String token = authorization.substring(7).trim();
        Optional<UserSessions.Holder> holder = sessions.authenticate(token);
        if (holder.isEmpty()) {
            refuse(request, "the session token is unknown, expired or revoked, or its account is disabled: sign in again");
            return;
        }
        request.setProperty(ACCOUNT, holder.get().account());
        request.setProperty(SESSION_ID, holder.get().sessionId());
    }

    private static void refuse(ContainerRequestContext request, String detail) {
        Response problem = new ProblemException(Response.Status.UNAUTHORIZED, null, detail).response();
        request.abortWith(Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cmtp\"")
                .build());
    }
}
