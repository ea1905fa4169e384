package org.cmtp.web.security;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

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
        forbidden(response);
    }

    /** 403 with a problem document, committed so the container adds nothing. */
    static void forbidden(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        String body = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\""
                + AdminSurfaces.refusal() + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }
}
