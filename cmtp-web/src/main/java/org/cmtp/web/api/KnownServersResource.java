package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.HexFormat;
import java.util.List;

import org.cmtp.server.federation.KeyDirectory;
import org.cmtp.server.federation.ServerKeyPin;
import org.cmtp.server.federation.ServerKeyPins;

/**
 * The pinned server keys of other domains; forgetting one accepts that domain's next key.
 * Listed a page at a time ({@code ?offset=0&limit=100}, at most {@value #MAX_LIMIT}; the
 * total in {@code X-Total-Count}): every domain anyone asks this server about gets a pin.
 */
@Path("known-servers")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class KnownServersResource {

    @EJB
    private ServerKeyPins pins;
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

    /** The most pins one page holds. */
    public static final int MAX_LIMIT = 1000;

    @GET
    public Response list(@QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (offset < 0) {
            return Problem.response(Response.Status.BAD_REQUEST, "offset must be ≥ 0", "offset");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return Problem.response(Response.Status.BAD_REQUEST, "limit must be in 1.." + MAX_LIMIT, "limit");
        }
        List<KnownServerView> page = pins.list(offset, limit).stream().map(KnownServersResource::view).toList();
        return Response.ok(page).header(AccountsResource.TOTAL_COUNT, pins.count()).build();
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

    private static KnownServerView view(ServerKeyPin known) {
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
