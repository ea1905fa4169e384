package org.cmtp.web.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Sends a {@link ProblemException} as its problem document; the only mapper that writes one. */
@Provider
public class ProblemMapper implements ExceptionMapper<ProblemException> {

    @Override
    public Response toResponse(ProblemException problem) {
        return problem.response();
    }
}
