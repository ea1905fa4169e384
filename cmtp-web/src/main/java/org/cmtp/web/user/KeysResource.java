package org.cmtp.web.user;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.HexFormat;

import org.cmtp.message.MailAddress;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.DomainNames;
import org.cmtp.server.federation.KeyDirectory;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.web.api.ProblemException;
import org.cmtp.web.user.dto.KeyView;

/**
 * {@code GET /api/user/keys/{address}}: the key of any address, here or relayed from its
 * domain, with the address-bound signature of PROTOCOL.md §4a (what {@code KEYBIND} answers
 * on the CMTP port), so the client checks it against the server key it pinned.
 */
@Path("user/keys")
@RequestScoped
@SignedIn
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

    @Inject
    private KeyDirectory keys;
    @EJB
    private ServerIdentity identity;

    @GET
    @Path("{address}")
    public KeyView key(@PathParam("address") String text) {
        MailAddress address = SignInResource.address(text);
        String domain = DomainNames.canonical(address.domain());
        byte[] key = keys.publicKey(address.account(), domain).orElseThrow(
                () -> ProblemException.notFound("address", "no key for " + text + " (KEYNOTAVAILABLE)"));
        KeyView view = new KeyView();
        view.account = address.account();
        view.domain = domain;
        view.publicKey = HexFormat.of().formatHex(key);
        view.signature = HexFormat.of().formatHex(identity.sign(new Command.KeyBind(address.account(), domain)
                .bytesToSign(key)));
        return view;
    }
}
