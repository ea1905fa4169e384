package org.cmtp.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.cmtp.server.config.CmtpConfiguration;

/**
 * Which HTTP paths are for everyone and which only for the operator's networks
 * ({@code cmtp.admin-networks}, loopback by default). Public: the user API and the
 * webmail, which account holders reach from anywhere. Everything else is an admin
 * surface: the admin API, the console, and Payara's {@code /metrics}, {@code /health}
 * and {@code /openapi} (served in this application's context on Payara Micro, so the
 * same check covers them). New paths are admin surfaces unless listed here.
 */
@ApplicationScoped
public class AdminSurfaces {

    @Inject
    private CmtpConfiguration configuration;

    /** Paths (below the context root) that answer every client. */
    static boolean isPublic(String path) {
        return path.startsWith("/api/user/") || path.equals("/api/user")
                || path.startsWith("/mail/") || path.equals("/mail");
    }

    /** Whether this request may be served to the client that sent it. */
    public boolean allows(HttpServletRequest request) {
        return isPublic(pathOf(request)) || fromAdminNetwork(request.getRemoteAddr());
    }

    private boolean fromAdminNetwork(String remoteAddress) {
        try {
            // getRemoteAddr() is a numeric address: no name lookup happens here
            return configuration.adminNetworks().allows(InetAddress.getByName(remoteAddress));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The path below the context root, without path parameters, as the container matched it. */
    private static String pathOf(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    /** The problem document's text for a refused client. */
    static String refusal() {
        return "this path answers only clients in cmtp.admin-networks (CMTP_ADMIN_NETWORKS);"
                + " account holders use /api/user/ and /mail/";
    }
}
