package org.cmtp.web.api;

import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.server.account.AccountException;
import org.cmtp.server.user.UserAccessException;

/**
 * Failures the APIs do not throw themselves (the services' exceptions, the container's)
 * translated into a {@link ProblemException}, which {@link ProblemMapper} sends: nothing
 * leaks as an HTML error page, and every problem is made in one place.
 */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());
    static final String UNREADABLE_BODY = "the body is not valid JSON for this request";

    private ProblemMappers() {
    }

    static ProblemException forAccount(AccountException e) {
        Response.Status status = switch (e.kind()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case EXISTS -> Response.Status.CONFLICT;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
        };
        return new ProblemException(status, e.field(), e.getMessage());
    }

    static ProblemException forUser(UserAccessException e) {
        Response.Status status = switch (e.kind()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case UNAUTHENTICATED -> Response.Status.UNAUTHORIZED;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case TOO_MANY -> Response.Status.TOO_MANY_REQUESTS;
            case TOO_LARGE -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
        };
        return new ProblemException(status, e.field(), e.getMessage());
    }

    /** Exceptions from EJBs arrive wrapped; unwrap application failures, report the rest. */
    static ProblemException forEjb(EJBException e) {
        Throwable cause = e.getCause();
        while (cause instanceof EJBException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AccountException account) {
            return forAccount(account);
        }
        if (cause instanceof UserAccessException user) {
            return forUser(user);
        }
        if (cause instanceof ProblemException problem) {
            return problem;
        }
        LOG.log(Level.SEVERE, "web API request failed", e);
        return new ProblemException(Response.Status.INTERNAL_SERVER_ERROR, null, "the server failed: see its log");
    }

    /** The container's own refusals (no such path, wrong method, …) keep their status. */
    static ProblemException forStatus(int statusCode, String detail) {
        Response.Status status = Response.Status.fromStatusCode(statusCode);
        return new ProblemException(status == null ? Response.Status.BAD_REQUEST : status, null, detail);
    }

    @Provider
    public static class UserAccess implements ExceptionMapper<UserAccessException> {
        @Override
        public Response toResponse(UserAccessException e) {
            return forUser(e).response();
        }
    }

    @Provider
    public static class Accounts implements ExceptionMapper<AccountException> {
        @Override
        public Response toResponse(AccountException e) {
            return forAccount(e).response();
        }
    }

    @Provider
    public static class Ejb implements ExceptionMapper<EJBException> {
        @Override
        public Response toResponse(EJBException e) {
            return forEjb(e).response();
        }
    }

    @Provider
    public static class Json implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException e) {
            return ProblemException.badRequest(null, UNREADABLE_BODY).response();
        }
    }

    @Provider
    public static class Processing implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            return ProblemException.badRequest(null, UNREADABLE_BODY).response();
        }
    }

    @Provider
    public static class WebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            return forStatus(e.getResponse().getStatus(), e.getMessage()).response();
        }
    }
}
