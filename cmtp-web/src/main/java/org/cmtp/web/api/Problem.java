package org.cmtp.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document: what went wrong, for people and programs. {@code field}
 * names the request field at fault, when there is one.
 */
public class Problem {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    public String type = "about:blank";
    public String title;
    public int status;
    public String detail;
    public String field;

    public static Response response(Response.Status status, String detail, String field) {
        Problem problem = new Problem();
        problem.title = status.getReasonPhrase();
        problem.status = status.getStatusCode();
        problem.detail = detail;
        problem.field = field;
        return Response.status(status).type(MEDIA_TYPE).entity(problem).build();
    }
}
