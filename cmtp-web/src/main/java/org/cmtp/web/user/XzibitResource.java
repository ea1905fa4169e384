package org.cmtp.web.user;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;

import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.server.user.SignInLimiter;
import org.cmtp.web.api.ProblemException;

/**
 * The xzibit, the account's key pair sealed with its password (PROTOCOL.md §5):
 * {@code GET /api/user/xzibit/{account}} answers the same bytes as the wire's LOGIN — the
 * xzibit, then the server's signature over it — for the client to open on its own device;
 * {@code PUT /api/user/xzibit} (signed in) replaces it with one the holder sealed with a new
 * password.
 */
@Path("user/xzibit")
@RequestScoped
public class XzibitResource {

    /** An xzibit of version 1 is 156 bytes; anything much larger is not one. */
    private static final int MAX_XZIBIT_BYTES = 4096;

    @EJB
    private AccountService accounts;
    @EJB
    private ServerIdentity identity;
    @Inject
    private SignInLimiter limiter;
    @Context
    private HttpServletRequest http;

    @GET
    @Path("{account}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public byte[] get(@PathParam("account") String account) {
        limiter.attempt(http.getRemoteAddr(), account);
        byte[] xzibit = accounts.findReadOnly(account).filter(Account::isEnabled).map(Account::getXzibit)
                .orElseThrow(() -> ProblemException.notFound(null,
                        "no such account"));
        byte[] signature = identity.sign(xzibit);
        byte[] reply = new byte[xzibit.length + signature.length];
        System.arraycopy(xzibit, 0, reply, 0, xzibit.length);
        System.arraycopy(signature, 0, reply, xzibit.length, signature.length);
        return reply;
    }

    @PUT
    @SignedIn
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Response replace(InputStream body) throws IOException {
        byte[] xzibit = body.readNBytes(MAX_XZIBIT_BYTES + 1);
        if (xzibit.length > MAX_XZIBIT_BYTES) {
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "xzibit", "an xzibit is 156 bytes");
        }
        Account account = (Account) http.getAttribute(SessionTokenFilter.ACCOUNT);
        accounts.replaceXzibit(account.getName(), xzibit);
        return Response.noContent().build();
    }
}
