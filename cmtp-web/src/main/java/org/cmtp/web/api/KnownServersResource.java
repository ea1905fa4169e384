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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.HexFormat;
import java.util.List;

import org.cmtp.server.federation.KeyDirectory;
import org.cmtp.server.federation.ServerKeyPin;
import org.cmtp.server.federation.ServerKeyPins;

import org.cmtp.web.api.dto.KnownServerView;

/**
 * The pinned server keys of other domains; forgetting one accepts that domain's next key.
 * Listed a page at a time ({@code ?first=0&max=100}, as every list of the API, see
 * {@link PageRequest}; the total in {@code X-Total-Count}): every domain anyone asks this
 * server about gets a pin. The names this list had before, {@code offset} and
 * {@code limit}, are still accepted, so that scripts written for them keep working.
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

    @GET
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max,
            @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        PageRequest page = PageRequest.ofOlderNames(first, max, offset, limit);
        List<KnownServerView> known = pins.list(page.first(), page.max()).stream()
                .map(KnownServersResource::view).toList();
        return page.answer(known, pins.count());
    }

    @DELETE
    @Path("{domain}")
    public Response forget(@PathParam("domain") String domain) {
        if (!pins.forget(domain)) {
            throw ProblemException.notFound("domain", "no key is pinned for " + domain);
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
