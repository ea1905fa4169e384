package org.cmtp.web.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.Optional;
import java.util.Set;

/**
 * Refuses state-changing requests (POST, PUT, PATCH, DELETE) without the header
 * {@code X-Requested-By} (any value, e.g. {@code cmtp}): a browser remembers Basic
 * credentials, and a page of another site could otherwise make it send such requests. A
 * web page cannot add a custom header to a cross-site request without the server's CORS
 * consent, which this API never gives. 403 problem naming the header otherwise.
 *
 * <p>The user API ({@code /api/user/…}) is exempt: its requests carry a bearer token in
 * a header that a browser never adds by itself, so another site cannot make one.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class CrossSiteRequestFilter implements ContainerRequestFilter {

    public static final String HEADER = "X-Requested-By";
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    public void filter(ContainerRequestContext request) {
        refusal(request.getMethod(), request.getUriInfo().getPath(), request.getHeaderString(HEADER))
                .ifPresent(reason -> request.abortWith(
                        new ProblemException(Response.Status.FORBIDDEN, HEADER, reason).response()));
    }

    /**
     * Why a request of {@code method} to {@code path} (relative to {@code /api}) with the
     * header's {@code value} (null: absent) is refused, or empty when it may go on.
     */
    static Optional<String> refusal(String method, String path, String value) {
        if (!STATE_CHANGING.contains(method) || path.replaceFirst("^/", "").startsWith("user/")) {
            return Optional.empty();
        }
        if (value == null || value.isBlank()) {
            return Optional.of(method + " needs the header " + HEADER + " (e.g. " + HEADER + ": cmtp), against cross-site requests");
        }
        return Optional.empty();
    }
}
