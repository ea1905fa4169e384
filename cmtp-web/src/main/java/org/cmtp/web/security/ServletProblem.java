package org.cmtp.web.security;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A problem document written straight to the servlet response, for answers given before
 * JAX-RS is reached (authentication, the admin-network filter). The titles and details
 * are fixed texts of ours: nothing to escape.
 */
final class ServletProblem {

    private ServletProblem() {
    }

    /** Writes and commits it, so that the container replaces it with no error page of its own. */
    static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }
}
