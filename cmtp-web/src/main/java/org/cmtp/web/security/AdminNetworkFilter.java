package org.cmtp.web.security;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.logging.Logger;

import org.cmtp.web.api.ProblemException;

/**
 * Refuses the admin surfaces (see {@link AdminSurfaces}) to clients outside
 * {@code cmtp.admin-networks} with 403 and a problem document, for paths no
 * authentication guards (the console's files, {@code /metrics}, {@code /health},
 * {@code /openapi}). The admin API's authentication refuses them before this filter runs,
 * so that no password is even checked for them ({@link AdminAuthenticationMechanism}).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class AdminNetworkFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(AdminNetworkFilter.class.getName());

    @Inject
    private AdminSurfaces surfaces;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (surfaces.allows(request)) {
            chain.doFilter(request, response);
            return;
        }
        LOG.fine(() -> "CMTP refused " + request.getRequestURI() + " to " + request.getRemoteAddr()
                + ": not in cmtp.admin-networks");
        ServletProblem.write(response, new ProblemException(Response.Status.FORBIDDEN, null, AdminSurfaces.refusal()));
    }
}
