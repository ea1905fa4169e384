package org.cmtp.sample;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.ra.api.CmtpConnection;
import org.cmtp.ra.api.CmtpConnectionFactory;

/**
 * {@code GET /sample/received}: what {@link OrdersMailBean} opened, oldest first.
 * {@code POST /sample/send} {@code {"from":"carol@example.org","to":"orders@example.org",
 * "subject":"…","text":"…","attachments":[{"name":"order.txt","text":"…"}]}} ({@code to} may
 * list several addresses, comma-separated): sends through the injected connection factory
 * and answers each recipient's receipt, {@code {"receipts":[{"to":…,"status":"SUCCESS",
 * "hash":…}]}}.
 *
 * <p>No authentication: a test fixture (see the package documentation).
 */
@Path("/")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SampleResource {

    @Resource(lookup = AccountKeys.FACTORY)
    private CmtpConnectionFactory cmtp;
    @Inject
    private OpenedMailLog opened;

    @GET
    @Path("received")
    public JsonArray received() {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (OpenedMail mail : opened.all()) {
            list.add(Json.createObjectBuilder()
                    .add("account", mail.account())
                    .add("sender", mail.sender())
                    .add("subject", mail.subject())
                    .add("text", mail.text())
                    .add("attachments", Json.createArrayBuilder(mail.attachments()))
                    .add("mailboxId", mail.mailboxId()));
        }
        return list.build();
    }

    @POST
    @Path("send")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(JsonObject request) {
        OutgoingMail mail;
        try {
            List<MailAddress> to = new ArrayList<>();
            for (String address : request.getString("to").split(",")) {
                to.add(address(address.strip()));
            }
            OutgoingMail.Builder builder = OutgoingMail.from(address(request.getString("from")))
                    .to(to)
                    .subject(request.getString("subject", ""))
                    .text(request.getString("text", ""));
            for (JsonValue value : request.getJsonArray("attachments") == null ? JsonValue.EMPTY_JSON_ARRAY
                    : request.getJsonArray("attachments")) {
                JsonObject file = value.asJsonObject();
                builder.attach(new Attachment(file.getString("name"),
                        file.getString("text", "").getBytes(StandardCharsets.UTF_8)));
            }
            mail = builder.build();
        } catch (RuntimeException e) {
            return problem(Status.BAD_REQUEST, "not a mail to send: " + e.getMessage());
        }
        try (CmtpConnection connection = cmtp.getConnection()) {
            JsonArrayBuilder receipts = Json.createArrayBuilder();
            for (Receipt receipt : connection.send(mail)) {
                receipts.add(Json.createObjectBuilder()
                        .add("to", receipt.recipient().toString())
                        .add("status", receipt.status().name())
                        .add("hash", HexFormat.of().formatHex(receipt.messageHash())));
            }
            return Response.ok(Json.createObjectBuilder().add("receipts", receipts).build()).build();
        } catch (ResourceException e) {
            return problem(Status.BAD_GATEWAY, "sending failed: " + e.getMessage());
        }
    }

    private static MailAddress address(String text) {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not account@domain");
        }
        return new MailAddress(text.substring(0, at), text.substring(at + 1));
    }

    private static Response problem(Status status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("status", status.getStatusCode())
                        .add("title", status.getReasonPhrase()).add("detail", detail).build())
                .build();
    }
}
