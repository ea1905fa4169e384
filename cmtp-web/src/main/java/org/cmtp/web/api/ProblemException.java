package org.cmtp.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cmtp.web.api.dto.Problem;

/**
 * The one way the web APIs (admin and user) say no: an HTTP status, its title and a detail
 * for people, and the request field at fault if there is one. {@link ProblemMapper} turns it
 * into an RFC 9457 problem document; failures of other kinds are translated into one by
 * {@link ProblemMappers}, so every error a client sees has the same shape.
 */
public class ProblemException extends RuntimeException {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    private final int status;
    private final String title;
    private final String field;

    /** The title is the status's reason phrase, as RFC 9457 suggests for type about:blank. */
    public ProblemException(Response.StatusType status, String field, String detail) {
        // no stack trace: this is an answer to the client, not a fault of the server
        super(detail, null, false, false);
        this.status = status.getStatusCode();
        this.title = status.getReasonPhrase();
        this.field = field;
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, field, detail);
    }

    public static ProblemException notFound(String field, String detail) {
        return new ProblemException(Response.Status.NOT_FOUND, field, detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    public Problem document() {
        Problem problem = new Problem();
        problem.title = title;
        problem.status = status;
        problem.detail = getMessage();
        problem.field = field;
        return problem;
    }

    /** The answer, for places that answer rather than throw (request filters aborting). */
    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(document()).build();
    }
}
