package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.HexFormat;
import java.util.List;

import org.cmtp.server.federation.KeyDirectory;
import org.cmtp.server.federation.KnownServer;
import org.cmtp.server.federation.KnownServers;

/** The pinned server keys of other domains; forgetting one accepts that domain's next key. */
@Path("known-servers")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class KnownServersResource {

    @EJB
    private KnownServers pins;
    @Inject
    private KeyDirectory keys;

    public static class KnownServerView {
        public String domain;
        public String publicKey;
        public String firstSeen;
        public String lastSeen;
        /** A different key the server offered and that was refused, if any. */
        public String offeredKey;
        public String offeredAt;
        /** The server answers with address-bound key replies (KEYBIND), and must from now on. */
        public boolean keyBind;
    }

    @GET
    public List<KnownServerView> list() {
        return pins.list().stream().map(KnownServersResource::view).toList();
    }

    @DELETE
    @Path("{domain}")
    public Response forget(@PathParam("domain") String domain) {
        if (!pins.forget(domain)) {
            return Problem.response(Response.Status.NOT_FOUND, "no key is pinned for " + domain, "domain");
        }
        keys.forget(domain);
        return Response.noContent().build();
    }

    private static KnownServerView view(KnownServer known) {
        KnownServerView view = new KnownServerView();
        view.domain = known.getDomain();
        view.publicKey = HexFormat.of().formatHex(known.getPublicKey());
        view.firstSeen = known.getFirstSeen().toString();
        view.lastSeen = known.getLastSeen().toString();
        byte[] offered = known.getOfferedKey();
        view.offeredKey = offered == null ? null : HexFormat.of().formatHex(offered);
        view.offeredAt = known.getOfferedAt() == null ? null : known.getOfferedAt().toString();
        view.keyBind = known.isKeyBind();
        return view;
    }
}
