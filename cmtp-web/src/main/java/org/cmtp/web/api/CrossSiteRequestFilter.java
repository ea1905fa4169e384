package org.cmtp.web.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

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
        if (!STATE_CHANGING.contains(request.getMethod())
                || request.getUriInfo().getPath().replaceFirst("^/", "").startsWith("user/")) {
            return;
        }
        String value = request.getHeaderString(HEADER);
        if (value == null || value.isBlank()) {
            request.abortWith(Problem.response(Response.Status.FORBIDDEN, request.getMethod()
                    + " needs the header " + HEADER + " (e.g. " + HEADER + ": cmtp), against cross-site requests",
                    HEADER));
        }
    }
}
