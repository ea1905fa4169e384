package org.cmtp.web.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Headers that keep the web console's page to itself: it holds the admin's credentials
 * for the tab's lifetime (ADR 0008), so it runs only its own scripts (no inline script, no
 * other origin), may not be framed by another site (clickjacking), and the browser must
 * not guess content types. The webmail under {@code /mail/} gets the same policy plus
 * {@code 'wasm-unsafe-eval'}: its libsodium is WebAssembly, which a policy must allow to be
 * compiled; nothing in it allows {@code eval} of scripts (ADR 0024).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true) // the user API's long poll is asynchronous
public class SecurityHeadersFilter extends HttpFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    /** The webmail's: the console's, with WebAssembly allowed to compile (libsodium). */
    static final String WEBMAIL_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
            .replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy",
                isWebmail(request) ? WEBMAIL_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }

    private static boolean isWebmail(HttpServletRequest request) {
        String path = request.getServletPath();
        return path.equals("/mail") || path.startsWith("/mail/");
    }
}
