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
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.crypto.Blake2b;
import org.cmtp.message.Message;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.server.account.Account;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.mailbox.Mailbox;
import org.cmtp.server.mailbox.MailboxEntry;
import org.cmtp.server.user.Submission;
import org.cmtp.web.api.PageRequest;
import org.cmtp.web.api.ProblemException;
import org.cmtp.web.user.dto.BodyBatch;
import org.cmtp.web.user.dto.MailboxUsage;
import org.cmtp.web.user.dto.MessageChange;
import org.cmtp.web.user.dto.LimitsView;
import org.cmtp.web.user.dto.MessageView;
import org.cmtp.web.user.dto.RawBatch;
import org.cmtp.web.user.dto.RawMessage;
import org.cmtp.web.user.dto.ReceiptView;
import org.cmtp.web.user.dto.SealedBody;
import org.cmtp.wire.ProtocolException;

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
    static final String VERSION_HEADER = "X-CMTP-Version";
    /** The user API's page: {@code ?offset=0&limit=50}, limit at most 500 (its names since it began). */
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 500;
    private static final int MAX_WAIT_SECONDS = 120;
    /** Ids one {@code GET raw?ids=} or {@code bodies?ids=} may name. */
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

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        PageRequest page = PageRequest.read("offset", offset, "limit", limit, DEFAULT_PAGE, MAX_PAGE);
        Account account = account();
        List<MessageView> messages = mailbox.entries(account, page.first(), page.max()).stream()
                .map(MailboxResource::view).toList();
        return page.answer(messages, mailbox.count(account));
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public MessageView get(@PathParam("id") long id) {
        return mailbox.entry(account(), id).map(MailboxResource::view).orElseThrow(MailboxResource::noSuchMessage);
    }

    /**
     * The stored bytes of up to {@value #MAX_BATCH} messages in one answer, for a device that
     * opens a whole mailbox (the bridge after sign-in): one request instead of one per message.
     * Still sealed, as {@code {id}/raw} gives them.
     */
    @GET
    @Path("raw")
    @Produces(MediaType.APPLICATION_JSON)
    public RawBatch rawBatch(@QueryParam("ids") String ids) {
        RawBatch batch = new RawBatch();
        readBatch(ids, (id, content) -> {
            RawMessage message = new RawMessage();
            message.id = id;
            message.raw = Base64.getEncoder().encodeToString(content);
            return message;
        }, batch.messages, batch.missing, batch.later);
        return batch;
    }

    /**
     * The sealed bodies of up to {@value #MAX_BATCH} messages in one answer, without their
     * attachments, each with its crypto version: what a listing needs to show subjects (the
     * webmail's inbox), in one request instead of one per message. Same ids rules and byte
     * budget as {@code raw?ids=}.
     */
    @GET
    @Path("bodies")
    @Produces(MediaType.APPLICATION_JSON)
    public BodyBatch bodyBatch(@QueryParam("ids") String ids) {
        BodyBatch batch = new BodyBatch();
        readBatch(ids, (id, content) -> {
            Message message = decode(id, content);
            SealedBody body = new SealedBody();
            body.id = id;
            body.version = message.version();
            body.body = Base64.getEncoder().encodeToString(message.body());
            return body;
        }, batch.messages, batch.missing, batch.later);
        return batch;
    }

    /**
     * Reads the messages {@code ids} names within {@link #BATCH_BYTES}, in the order asked:
     * each read one made into an answer entry, the others listed as missing (not this
     * account's) or later (over the budget: ask again).
     */
    private <T> void readBatch(String ids, BiFunction<Long, byte[], T> entry, List<T> read, List<Long> missing,
            List<Long> later) {
        List<Long> wanted = List.copyOf(batchIds(ids));
        Mailbox.Contents contents = mailbox.contents(account(), wanted, BATCH_BYTES);
        for (long id : wanted) {
            byte[] content = contents.read().get(id);
            if (content != null) {
                read.add(entry.apply(id, content));
            } else if (contents.later().contains(id)) {
                later.add(id);
            } else {
                missing.add(id);
            }
        }
    }

    /** {@code 1,2,3}: 1 to {@value #MAX_BATCH} distinct message ids, in the order given. */
    private static Set<Long> batchIds(String ids) {
        Set<Long> parsed = new LinkedHashSet<>();
        try {
            for (String id : (ids == null ? "" : ids).split(",", -1)) {
                parsed.add(Long.parseLong(id.strip()));
            }
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("ids",
                    "ids is a comma-separated list of message ids, e.g. ids=3,4,5");
        }
        if (parsed.size() > MAX_BATCH) {
            throw ProblemException.badRequest("ids",
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
    public LimitsView limits() {
        LimitsView limits = new LimitsView();
        limits.maxMessageSize = configuration.maxMessageSize();
        limits.maxAttachments = configuration.maxAttachments();
        return limits;
    }

    @GET
    @Path("usage")
    @Produces(MediaType.APPLICATION_JSON)
    public MailboxUsage usage() {
        Account account = account();
        Mailbox.Usage now = mailbox.usage(account);
        MailboxUsage usage = new MailboxUsage();
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
            throw ProblemException.notFound("index",
                    "the message has " + message.attachmentCount() + " attachment(s), counted from 0");
        }
        return message.attachment(index);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response change(@PathParam("id") long id, MessageChange change) {
        if (change == null || change.read == null) {
            throw ProblemException.badRequest("read", "give {\"read\": true|false}");
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
            throw ProblemException.badRequest("timeout",
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
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "message",
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
        return decode(id, content(id));
    }

    private Message decode(long id, byte[] content) {
        try {
            // stored bytes were checked on arrival; only the server's log line was added since
            return Message.decode(content, org.cmtp.wire.ProtocolLimits.DEFAULTS
                    .withMaxMessageBytes(org.cmtp.wire.ProtocolLimits.LARGEST_MESSAGE_BYTES)
                    .withMaxAttachments(Math.max(configuration.maxAttachments(), 1000)));
        } catch (ProtocolException e) {
            throw new IllegalStateException("stored message " + id + " does not decode: " + e.getMessage(), e);
        }
    }

    private Account account() {
        return (Account) http.getAttribute(SessionTokenFilter.ACCOUNT);
    }

    private static ProblemException noSuchMessage() {
        return ProblemException.notFound(null, "no such message");
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
