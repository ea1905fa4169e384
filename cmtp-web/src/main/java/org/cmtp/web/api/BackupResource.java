package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cmtp.server.mailbox.MailBackup;

import org.cmtp.web.api.dto.StartedView;

/**
 * {@code POST /api/backup} and {@code POST /api/backup/{id}/finish}: the two calls of
 * {@code ./cmtp-server backup DIR} (ADR 0034). The backup is written where the server
 * chooses (beside its database or body files); no path comes from the request.
 */
@Path("backup")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {

    @Inject
    private MailBackup backup;

    @POST
    public Response start() {
        MailBackup.Started started;
        try {
            started = backup.start();
        } catch (IllegalStateException e) {
            throw new ProblemException(Response.Status.CONFLICT, null, e.getMessage());
        }
        StartedView view = new StartedView();
        view.id = started.id();
        view.database = started.database();
        view.path = started.path() != null ? started.path().toString() : null;
        return Response.ok(view).build();
    }

    @POST
    @Path("{id}/finish")
    public Response finish(@PathParam("id") String id) {
        return backup.finish(id) ? Response.noContent().build()
                : ProblemException.notFound("id", "no backup with this id is running").response();
    }
}
