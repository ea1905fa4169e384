package org.cmtp.web.user;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.Base64;
import java.util.HexFormat;

import org.cmtp.message.MailAddress;
import org.cmtp.server.user.SignInLimiter;
import org.cmtp.server.user.UserSessions;
import org.cmtp.web.api.ProblemException;
import org.cmtp.web.user.dto.ChallengeRequest;
import org.cmtp.web.user.dto.ChallengeView;
import org.cmtp.web.user.dto.Proof;
import org.cmtp.web.user.dto.SignedInSession;
import org.cmtp.wire.InvalidAddressException;

/**
 * Sign-in by proof of key (README "Users"): {@code POST /api/user/signin/challenge} hands out
 * a single-use challenge and what to sign with it; {@code POST /api/user/signin} checks the
 * signature and opens a session. Neither the password nor the secret key is ever sent.
 */
@Path("user/signin")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SignInResource {

    @EJB
    private UserSessions sessions;
    @Inject
    private SignInLimiter limiter;
    @Context
    private HttpServletRequest http;

    @POST
    @Path("challenge")
    public ChallengeView challenge(ChallengeRequest request) {
        MailAddress address = address(request == null ? null : request.address);
        limiter.attempt(http.getRemoteAddr(), address.account());
        UserSessions.Challenge challenge = sessions.challenge(address.account(), address.domain());
        ChallengeView view = new ChallengeView();
        view.account = challenge.account();
        view.domain = challenge.domain();
        view.challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(challenge.challenge());
        view.serverKey = HexFormat.of().formatHex(challenge.serverKey());
        view.expires = challenge.expires().toString();
        view.expiresEpochSecond = challenge.expires().getEpochSecond();
        return view;
    }

    @POST
    public SignedInSession signIn(Proof proof) {
        if (proof == null || proof.account == null) {
            throw ProblemException.badRequest("account", "name the account");
        }
        limiter.attempt(http.getRemoteAddr(), proof.account);
        UserSessions.SignedIn signedIn = sessions.signIn(proof.account, decode("challenge", proof.challenge),
                hex("signature", proof.signature), http.getRemoteAddr());
        SignedInSession view = new SignedInSession();
        view.token = signedIn.token();
        view.sessionId = signedIn.session().getId();
        view.expires = signedIn.session().getExpires().toString();
        return view;
    }

    static MailAddress address(String text) {
        if (text == null) {
            throw ProblemException.badRequest("address", "give the address, ACCOUNT@DOMAIN");
        }
        try {
            return MailAddress.parse(text);
        } catch (InvalidAddressException e) {
            throw ProblemException.badRequest("address",
                    "'" + text + "' is not ACCOUNT@DOMAIN: " + e.getMessage());
        }
    }

    private static byte[] decode(String field, String base64url) {
        try {
            return Base64.getUrlDecoder().decode(base64url == null ? "" : base64url);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "not base64url");
        }
    }

    static byte[] hex(String field, String hex) {
        try {
            return HexFormat.of().parseHex(hex == null ? "" : hex.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "not hex");
        }
    }
}
