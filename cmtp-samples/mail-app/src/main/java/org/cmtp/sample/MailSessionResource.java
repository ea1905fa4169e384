package org.cmtp.sample;

import jakarta.activation.DataHandler;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Base64;

/**
 * {@code POST /sample/mail-session/send} {@code {"from":"orders@example.org","to":["…"],
 * "cc":["…"],"bcc":["…"],"subject":"…","text":"…","attachments":[{"name":"order.txt",
 * "base64":"…"}]}}: builds a MIME message and sends it with {@link MailSessionSender}, i.e.
 * {@code Transport.send} on a {@code @Resource jakarta.mail.Session}. Answers what Jakarta
 * Mail reported: {@code {"sent":[…],"unsent":[…],"invalid":[…]}}, with {@code "error"} when
 * it threw.
 *
 * <p>No authentication: a test fixture (see the package documentation).
 */
@Path("mail-session")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MailSessionResource {

    @Inject
    private MailSessionSender sender;

    @POST
    @Path("send")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(JsonObject request) {
        MimeMessage message = sender.newMessage();
        try {
            message.setFrom(new InternetAddress(request.getString("from")));
            message.setRecipients(RecipientType.TO, addresses(request, "to"));
            message.setRecipients(RecipientType.CC, addresses(request, "cc"));
            message.setRecipients(RecipientType.BCC, addresses(request, "bcc"));
            message.setSubject(request.getString("subject", ""), "UTF-8");
            JsonArray files = request.getJsonArray("attachments");
            if (files == null || files.isEmpty()) {
                message.setText(request.getString("text", ""), "UTF-8");
            } else {
                MimeMultipart parts = new MimeMultipart();
                MimeBodyPart text = new MimeBodyPart();
                text.setText(request.getString("text", ""), "UTF-8");
                parts.addBodyPart(text);
                for (JsonValue value : files) {
                    JsonObject file = value.asJsonObject();
                    MimeBodyPart attachment = new MimeBodyPart();
                    attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(
                            Base64.getDecoder().decode(file.getString("base64")), "application/octet-stream")));
                    attachment.setFileName(file.getString("name"));
                    attachment.setDisposition(MimeBodyPart.ATTACHMENT);
                    parts.addBodyPart(attachment);
                }
                message.setContent(parts);
            }
        } catch (MessagingException | RuntimeException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Json.createObjectBuilder()
                    .add("error", "not a mail to send: " + e.getMessage()).build()).build();
        }
        JsonObjectBuilder answer = Json.createObjectBuilder();
        try {
            sender.send(message);
            Address[] all = message.getAllRecipients();
            answer.add("sent", list(all)).add("unsent", list(null)).add("invalid", list(null));
        } catch (SendFailedException e) {
            answer.add("sent", list(e.getValidSentAddresses())).add("unsent", list(e.getValidUnsentAddresses()))
                    .add("invalid", list(e.getInvalidAddresses())).add("error", e.getMessage());
        } catch (MessagingException e) {
            answer.add("sent", list(null)).add("unsent", list(null)).add("invalid", list(null))
                    .add("error", e.getMessage());
        }
        return Response.ok(answer.build()).build();
    }

    private static Address[] addresses(JsonObject request, String field) throws MessagingException {
        JsonArray list = request.getJsonArray(field);
        if (list == null) {
            return null;
        }
        Address[] addresses = new Address[list.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = new InternetAddress(list.getString(i));
        }
        return addresses;
    }

    private static JsonArrayBuilder list(Address[] addresses) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        if (addresses != null) {
            for (Address address : addresses) {
                list.add(((InternetAddress) address).getAddress());
            }
        }
        return list;
    }
}
