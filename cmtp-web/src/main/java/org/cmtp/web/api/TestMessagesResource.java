package org.cmtp.web.api;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.HexFormat;
import java.util.List;

import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.message.MailAddress;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.ra.api.CmtpConnection;
import org.cmtp.ra.api.CmtpConnectionFactory;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.outbound.OutboundConnectionFactory;

import org.cmtp.web.api.dto.ReceiptView;
import org.cmtp.web.api.dto.TestMessage;

/**
 * {@code POST /api/test-messages}: sends a short message from {@code postmaster@} this
 * domain to any address, through the same connection factory applications use
 * ({@value OutboundConnectionFactory#JNDI_NAME}): KEYREQUEST, sealed MAIL and the checked
 * receipt, to this server, which stores it or queues it for the recipient's domain. What
 * an operator uses to see that the server delivers, locally or to a domain it federates
 * with.
 */
@Path("test-messages")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class TestMessagesResource {

    @Resource(lookup = OutboundConnectionFactory.JNDI_NAME)
    private CmtpConnectionFactory cmtp;
    @Inject
    private CmtpConfiguration configuration;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(TestMessage request) {
        if (request == null || request.to == null || request.to.isBlank()) {
            throw ProblemException.badRequest("to", "give the address to send to, as account@domain");
        }
        MailAddress recipient;
        try {
            recipient = MailAddress.parse(request.to.strip());
        } catch (InvalidAddressException e) {
            throw ProblemException.badRequest("to",
                    "'" + request.to + "' is not an address account@domain: " + e.getMessage());
        }
        OutgoingMail mail = OutgoingMail.from(new MailAddress("postmaster", configuration.primaryDomain()))
                .to(recipient)
                .subject(request.subject != null ? request.subject : "CMTP test message")
                .text(request.text != null ? request.text : "A test message from the administrator of "
                        + configuration.primaryDomain() + ".")
                .build();
        try (CmtpConnection connection = cmtp.getConnection()) {
            List<ReceiptView> receipts = connection.send(mail).stream().map(TestMessagesResource::view).toList();
            return Response.ok(receipts).build();
        } catch (ResourceException e) {
            throw new ProblemException(Response.Status.BAD_GATEWAY, null,
                    "the message could not be sent: " + e.getMessage());
        }
    }

    private static ReceiptView view(Receipt receipt) {
        ReceiptView view = new ReceiptView();
        view.to = receipt.recipient().toString();
        view.status = receipt.status().name();
        view.messageHash = HexFormat.of().formatHex(receipt.messageHash());
        return view;
    }
}
