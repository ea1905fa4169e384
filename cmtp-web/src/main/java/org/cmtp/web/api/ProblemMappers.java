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

/** Turns every failure of the API into a problem document; nothing leaks as an HTML error page. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    static Response forAccount(AccountException e) {
        Response.Status status = switch (e.kind()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case EXISTS -> Response.Status.CONFLICT;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
        };
        return Problem.response(status, e.getMessage(), e.field());
    }

    static Response forUser(UserAccessException e) {
        Response.Status status = switch (e.kind()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case UNAUTHENTICATED -> Response.Status.UNAUTHORIZED;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case TOO_MANY -> Response.Status.TOO_MANY_REQUESTS;
            case TOO_LARGE -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
        };
        return Problem.response(status, e.getMessage(), e.field());
    }

    @Provider
    public static class UserAccess implements ExceptionMapper<UserAccessException> {
        @Override
        public Response toResponse(UserAccessException e) {
            return forUser(e);
        }
    }

    @Provider
    public static class Accounts implements ExceptionMapper<AccountException> {
        @Override
        public Response toResponse(AccountException e) {
            return forAccount(e);
        }
    }

    /** Exceptions from EJBs arrive wrapped; unwrap application failures, report the rest. */
    @Provider
    public static class Ejb implements ExceptionMapper<EJBException> {
        @Override
        public Response toResponse(EJBException e) {
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
            LOG.log(Level.SEVERE, "admin API request failed", e);
            return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "the server failed: see its log", null);
        }
    }

    @Provider
    public static class Json implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "the body is not valid JSON for this request", null);
        }
    }

    @Provider
    public static class Processing implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "the body is not valid JSON for this request", null);
        }
    }

    @Provider
    public static class WebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
            if (status == null) {
                status = Response.Status.BAD_REQUEST;
            }
            return Problem.response(status, e.getMessage(), null);
        }
    }
}
