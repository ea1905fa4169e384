package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cmtp.server.admin.AdminPassword;
import org.cmtp.server.admin.AdminPasswordException;

import org.cmtp.web.api.dto.PasswordChange;

/**
 * {@code PUT /api/admin/password} {@code {"currentPassword": "…", "newPassword": "…"}}: changes
 * the admin password without a restart; every instance sharing the database checks against
 * the new one from its next request on. 204; 400 naming the field at fault.
 */
@Path("admin/password")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class AdminPasswordResource {

    @EJB
    private AdminPassword adminPassword;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response change(PasswordChange change) {
        if (change == null) {
            throw ProblemException.badRequest("newPassword", "give currentPassword and newPassword");
        }
        try {
            adminPassword.change(change.currentPassword == null ? null : change.currentPassword.toCharArray(),
                    change.newPassword == null ? null : change.newPassword.toCharArray());
        } catch (AdminPasswordException e) {
            throw ProblemException.badRequest(e.field(), e.getMessage());
        }
        return Response.noContent().build();
    }
}
