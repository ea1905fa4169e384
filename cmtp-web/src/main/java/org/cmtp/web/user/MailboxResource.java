package org.cmtp.web.user;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.crypto.Blake2b;
import org.cmtp.message.Message;
import org.cmtp.wire.ProtocolException;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.server.account.Account;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.mailbox.Mailbox;
import org.cmtp.server.mailbox.MailboxEntry;
import org.cmtp.server.user.Submission;
import org.cmtp.server.user.UserAccessException;

/**
 * The signed-in holder's own mailbox (README "Users"): list, fetch what is needed (the
 * stored bytes, only the sealed body, or one sealed attachment), mark read, delete, wait for
 * new mail, and submit. Everything stays sealed: the holder's device decrypts. A message id
 * of another account is "no such message" (404), never "forbidden", so ids tell nothing.
 */
@Path("user/messages")
@RequestScoped
@SignedIn
public class MailboxResource {

    private static final Logger LOG = Logger.getLogger(MailboxResource.class.getName());
    static final String TOTAL_COUNT = "X-Total-Count";
    static final String VERSION_HEADER = "X-CMTP-Version";
    private static final int MAX_PAGE = 500;
    private static final int MAX_WAIT_SECONDS = 120;
    /** Ids one {@code GET raw?ids=} may name. */
    static final int MAX_BATCH = 100;
    /** Stored bytes one batch answer carries at most (the first message always goes in, however large). */
    static final long BATCH_BYTES = 8L * 1024 * 1024;

    @EJB
    private Mailbox mailbox;
    @Inject
    private Submission submission;
    @Inject
    private CmtpConfiguration configuration;
    @Resource
    private ManagedScheduledExecutorService scheduler;
    @Context
    private HttpServletRequest http;

    public static class MessageView {
        public long id;
        public String sender;
        public long size;
        public String received;
        public boolean read;
        public int attachments;
        public List<Long> attachmentSizes;
        /**
         * Arrived through the SMTP gateway: readable in the SMTP world, sealed by this server on
         * arrival, not end to end (README "Living beside SMTP").
         */
        public boolean viaSmtp;
    }

    /** {@code GET /api/user/messages/usage}: what the mailbox holds and its limits (null: unlimited). */
    public static class Usage {
        public long messages;
        public long bytes;
        public Long quotaMessages;
        public Long quotaBytes;
    }

    public static class Limits {
        /** Bytes of the whole sealed message (cmtp.max-message-size). */
        public long maxMessageSize;
        public int maxAttachments;
    }

    /** {@code PATCH} body: {@code {"read": true}}. */
    public static class Change {
        public Boolean read;
    }

    public static class ReceiptView {
        public String status;
        /** BLAKE2b-512 of the message, what the signature covers after {@code STATUS ‖ \0}. */
        public String hash;
        public String signature;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("offset") @DefaultValue("0") int offset,
                         @QueryParam("limit") @DefaultValue("50") int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "limit",
                    "offset ≥ 0 and 1 ≤ limit ≤ " + MAX_PAGE);
        }
        Account account = account();
        List<MessageView> page = mailbox.entries(account, offset, limit).stream().map(MailboxResource::view).toList();
        return Response.ok(page).header(TOTAL_COUNT, mailbox.count(account)).build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public MessageView get(@PathParam("id") long id) {
        return mailbox.entry(account(), id).map(MailboxResource::view).orElseThrow(MailboxResource::noSuchMessage);
    }

    /** {@code GET /api/user/messages/raw?ids=…}: several messages' stored bytes in one answer. */
    public static class Batch {
        /** In the order asked, each {@code {id, raw}}, raw being the stored bytes in base64. */
        public List<RawMessage> messages = new ArrayList<>();
        /** Ids that are not (or no longer) this account's messages. */
        public List<Long> missing = new ArrayList<>();
        /** Ids left out to keep the answer within {@link #BATCH_BYTES} of stored bytes: ask for them again. */
        public List<Long> later = new ArrayList<>();
    }

    public static class RawMessage {
        public long id;
        public String raw;
    }

    /**
     * The stored bytes of up to {@value #MAX_BATCH} messages in one answer, for a device that
     * opens a whole mailbox (the bridge after sign-in): one request instead of one per message.
     * Still sealed, as {@code {id}/raw} gives them.
     */
    @GET
    @Path("raw")
    @Produces(MediaType.APPLICATION_JSON)
    public Batch rawBatch(@QueryParam("ids") String ids) {
        List<Long> wanted = List.copyOf(batchIds(ids));
        Mailbox.Contents contents = mailbox.contents(account(), wanted, BATCH_BYTES);
        Batch batch = new Batch();
        for (long id : wanted) {
            byte[] content = contents.read().get(id);
            if (content != null) {
                RawMessage message = new RawMessage();
                message.id = id;
                message.raw = Base64.getEncoder().encodeToString(content);
                batch.messages.add(message);
            } else if (contents.later().contains(id)) {
                batch.later.add(id);
            } else {
                batch.missing.add(id);
            }
        }
        return batch;
    }

    /** {@code 1,2,3}: 1 to {@value #MAX_BATCH} distinct message ids, in the order given. */
    private static Set<Long> batchIds(String ids) {
        Set<Long> parsed = new LinkedHashSet<>();
        try {
            for (String id : (ids == null ? "" : ids).split(",", -1)) {
                parsed.add(Long.parseLong(id.strip()));
            }
        } catch (NumberFormatException e) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "ids",
                    "ids is a comma-separated list of message ids, e.g. ids=3,4,5");
        }
        if (parsed.size() > MAX_BATCH) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "ids",
                    "at most " + MAX_BATCH + " ids in one request");
        }
        return parsed;
    }

    @GET
    @Path("{id}/raw")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public byte[] raw(@PathParam("id") long id) {
        return content(id);
    }

    /**
     * Only the sealed body: enough to show subject, sender and text without the attachments.
     * {@value #VERSION_HEADER} tells the message's crypto version (1 sealed, 0 in the clear,
     * as a delivery notice), which the body's bytes alone do not.
     */
    @GET
    @Path("{id}/body")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response body(@PathParam("id") long id) {
        Message message = decoded(id);
        return Response.ok(message.body()).header(VERSION_HEADER, message.version()).build();
    }

    /** What a client needs to know before it seals: the largest message and attachment count. */
    @GET
    @Path("limits")
    @Produces(MediaType.APPLICATION_JSON)
    public Limits limits() {
        Limits limits = new Limits();
        limits.maxMessageSize = configuration.maxMessageSize();
        limits.maxAttachments = configuration.maxAttachments();
        return limits;
    }

    @GET
    @Path("usage")
    @Produces(MediaType.APPLICATION_JSON)
    public Usage usage() {
        Account account = account();
        Mailbox.Usage now = mailbox.usage(account);
        Usage usage = new Usage();
        usage.messages = now.messages();
        usage.bytes = now.bytes();
        usage.quotaMessages = account.getQuotaMessages();
        usage.quotaBytes = account.getQuotaBytes();
        return usage;
    }

    @GET
    @Path("{id}/attachments/{index}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public byte[] attachment(@PathParam("id") long id, @PathParam("index") int index) {
        Message message = decoded(id);
        if (index < 0 || index >= message.attachmentCount()) {
            throw new UserAccessException(UserAccessException.Kind.NOT_FOUND, "index",
                    "the message has " + message.attachmentCount() + " attachment(s), counted from 0");
        }
        return message.attachment(index);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response change(@PathParam("id") long id, Change change) {
        if (change == null || change.read == null) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "read", "give {\"read\": true|false}");
        }
        if (!mailbox.markSeen(account(), id, change.read)) {
            throw noSuchMessage();
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        if (!mailbox.delete(account(), id)) {
            throw noSuchMessage();
        }
        return Response.noContent().build();
    }

    /**
     * Long poll: answers at once with the messages newer than {@code after} (oldest first),
     * or as soon as one arrives (checked every second, in the database, so mail stored by any
     * instance counts), or with an empty list after {@code timeout} seconds. Without
     * {@code after}: newer than the newest message now.
     */
    @GET
    @Path("wait")
    @Produces(MediaType.APPLICATION_JSON)
    public void waitForMail(@QueryParam("after") Long after, @QueryParam("timeout") @DefaultValue("30") int timeout,
                            @Suspended AsyncResponse response) {
        if (timeout < 0 || timeout > MAX_WAIT_SECONDS) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "timeout",
                    "0 ≤ timeout ≤ " + MAX_WAIT_SECONDS + " seconds");
        }
        Account account = account();
        long since = after != null ? after : mailbox.newestId(account);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        check(response, account, since, deadline);
    }

    private void check(AsyncResponse response, Account account, long since, long deadline) {
        if (response.isDone()) {
            return; // the client went away
        }
        try {
            List<MessageView> arrived = mailbox.entriesAfter(account, since).stream().map(MailboxResource::view).toList();
            if (!arrived.isEmpty() || System.nanoTime() >= deadline) {
                response.resume(Response.ok(arrived, MediaType.APPLICATION_JSON_TYPE).build());
                return;
            }
            scheduler.schedule(() -> check(response, account, since, deadline), 1, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP waiting for mail of " + account.getName() + " failed", e);
            response.resume(e);
        }
    }

    /**
     * Submission: the body is a message in the wire format of PROTOCOL.md §6, sealed by the
     * client, from the signed-in account. Answered with the server's signed status: for
     * {@code SUCCESS} a receipt (stored here, or queued for another domain).
     */
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    public ReceiptView submit(InputStream body) throws IOException {
        long limit = configuration.maxMessageSize();
        byte[] raw = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (raw.length > limit) {
            throw new UserAccessException(UserAccessException.Kind.TOO_LARGE, "message",
                    "the message is larger than this server's limit of " + limit + " bytes (cmtp.max-message-size)");
        }
        SignedStatus status = submission.submit(account(), raw, InetAddress.getByName(http.getRemoteAddr()));
        ReceiptView view = new ReceiptView();
        view.status = status.word().name();
        view.hash = HexFormat.of().formatHex(Blake2b.hash512(raw));
        view.signature = HexFormat.of().formatHex(status.signature());
        return view;
    }

    private byte[] content(long id) {
        return mailbox.content(account(), id).orElseThrow(MailboxResource::noSuchMessage);
    }

    private Message decoded(long id) {
        try {
            // stored bytes were checked on arrival; only the server's log line was added since
            return Message.decode(content(id), org.cmtp.wire.ProtocolLimits.DEFAULTS
                    .withMaxMessageBytes(org.cmtp.wire.ProtocolLimits.LARGEST_MESSAGE_BYTES)
                    .withMaxAttachments(Math.max(configuration.maxAttachments(), 1000)));
        } catch (ProtocolException e) {
            throw new IllegalStateException("stored message " + id + " does not decode: " + e.getMessage(), e);
        }
    }

    private Account account() {
        return (Account) http.getAttribute(SessionTokenFilter.ACCOUNT);
    }

    private static UserAccessException noSuchMessage() {
        return new UserAccessException(UserAccessException.Kind.NOT_FOUND, null, "no such message");
    }

    private static MessageView view(MailboxEntry entry) {
        MessageView view = new MessageView();
        view.id = entry.id();
        view.sender = entry.sender();
        view.size = entry.size();
        view.received = entry.received().toString();
        view.read = entry.seen();
        view.attachments = entry.attachmentSizes().size();
        view.attachmentSizes = entry.attachmentSizes();
        view.viaSmtp = entry.viaSmtp();
        return view;
    }
}
