package org.cmtp.web.security;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.cmtp.web.api.ProblemException;

/**
 * A {@link ProblemException} written straight to the servlet response, for answers given
 * before JAX-RS is reached (authentication, the admin-network filter): the same document
 * the APIs' mapper sends. Their titles and details are fixed texts of ours: nothing to
 * escape, and no field.
 */
final class ServletProblem {

    private ServletProblem() {
    }

    /** Writes and commits it, so that the container replaces it with no error page of its own. */
    static void write(HttpServletResponse response, ProblemException problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(ProblemException.MEDIA_TYPE.toString());
        response.setCharacterEncoding("UTF-8");
        String body = "{\"type\":\"about:blank\",\"title\":\"" + problem.title() + "\",\"status\":" + problem.status()
                + ",\"detail\":\"" + problem.detail() + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }
}
