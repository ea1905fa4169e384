package org.cmtp.web.user;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

import org.cmtp.server.account.Account;
import org.cmtp.server.user.UserSessions;
import org.cmtp.web.api.ProblemException;
import org.cmtp.web.user.dto.SessionView;

/** The signed-in holder's sessions: list them, revoke one (this one included: sign out). */
@Path("user/sessions")
@RequestScoped
@SignedIn
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    @EJB
    private UserSessions sessions;
    @Context
    private HttpServletRequest http;

    @GET
    public List<SessionView> list() {
        String current = (String) http.getAttribute(SessionTokenFilter.SESSION_ID);
        return sessions.sessions(account().getName()).stream().map(s -> {
            SessionView view = new SessionView();
            view.id = s.getId();
            view.created = s.getCreated().toString();
            view.expires = s.getExpires().toString();
            view.lastUsed = s.getLastUsed().toString();
            view.clientAddress = s.getClientAddress();
            view.current = s.getId().equals(current);
            return view;
        }).toList();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        if (!sessions.revoke(account().getName(), id)) {
            throw ProblemException.notFound(null, "no such session");
        }
        return Response.noContent().build();
    }

    private Account account() {
        return (Account) http.getAttribute(SessionTokenFilter.ACCOUNT);
    }
}
