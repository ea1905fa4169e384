package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Locale;

import org.cmtp.server.relay.QueuedMessage;
import org.cmtp.server.relay.RelayQueue;

import org.cmtp.web.api.dto.QueuedView;

/** The relay queue: what waits for delivery to other domains, and why. */
@Path("queue")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    @EJB
    private RelayQueue queue;

    @GET
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max,
            @QueryParam("recipient") String recipient, @QueryParam("domain") String domain) {
        PageRequest page = PageRequest.of(first, max);
        String account = null;
        String recipientDomain = blankToNull(domain);
        if (blankToNull(recipient) != null) {
            int at = recipient.lastIndexOf('@');
            if (at < 1 || at == recipient.length() - 1) {
                throw ProblemException.badRequest("recipient",
                        "recipient must be an address account@domain");
            }
            String addressDomain = recipient.substring(at + 1).toLowerCase(Locale.ROOT);
            if (recipientDomain != null && !recipientDomain.equalsIgnoreCase(addressDomain)) {
                // both filters given and they contradict each other: nothing matches
                return page.answer(List.of(), 0);
            }
            account = recipient.substring(0, at);
            recipientDomain = addressDomain;
        }
        List<QueuedView> waiting = queue.list(account, recipientDomain, page.first(), page.max()).stream()
                .map(QueueResource::view).toList();
        return page.answer(waiting, queue.count(account, recipientDomain));
    }

    @POST
    @Path("{id}/retry")
    public Response retry(@PathParam("id") long id) {
        return queue.retryNow(id) ? Response.noContent().build() : notQueued(id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        return queue.remove(id) ? Response.noContent().build() : notQueued(id);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Response notQueued(long id) {
        throw ProblemException.notFound("id", "no message " + id + " in the relay queue");
    }

    private static QueuedView view(QueuedMessage message) {
        QueuedView view = new QueuedView();
        view.id = message.getId();
        view.sender = message.getSender();
        view.recipient = message.recipient();
        view.attempts = message.getAttempts();
        view.queued = message.getQueued().toString();
        view.nextAttempt = message.getNextAttempt().toString();
        view.lastError = message.getLastError();
        return view;
    }
}
