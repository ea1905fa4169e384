package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.HexFormat;

import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.identity.ServerIdentity;

import org.cmtp.web.api.dto.ServerView;

/** {@code GET /api/server}: the domains served and the server's public key. */
@Path("server")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class ServerResource {

    @EJB
    private ServerIdentity identity;
    @Inject
    private CmtpConfiguration configuration;

    @GET
    public ServerView get() {
        ServerView view = new ServerView();
        view.domains = configuration.domains();
        view.publicKey = HexFormat.of().formatHex(identity.publicKey());
        view.fingerprint = KeyFingerprint.of(identity.publicKey());
        view.since = identity.since().toString();
        return view;
    }
}
