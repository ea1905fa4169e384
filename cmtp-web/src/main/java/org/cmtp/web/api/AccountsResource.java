package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.HexFormat;
import java.util.List;

import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.mailbox.Mailbox;
import org.cmtp.server.mailbox.MessageSummary;

import org.cmtp.web.api.dto.AccountChange;
import org.cmtp.web.api.dto.AccountView;
import org.cmtp.web.api.dto.NewAccount;
import org.cmtp.web.api.dto.StoredMessageView;

/** Accounts and their mailboxes. */
@Path("accounts")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    @EJB
    private AccountService accounts;
    @EJB
    private Mailbox mailbox;
    @Inject
    private CmtpConfiguration configuration;

    @GET
    public Response list(@QueryParam("search") String search, @QueryParam("first") String first,
            @QueryParam("max") String max) {
        PageRequest page = PageRequest.of(first, max);
        List<AccountView> accountsOnPage = accounts.list(search, page.first(), page.max()).stream()
                .map(this::view).toList();
        return page.answer(accountsOnPage, accounts.count(search));
    }

    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AccountView change(@PathParam("name") String name, AccountChange change) {
        if (change == null || (change.enabled == null && change.quotaBytes == null && change.quotaMessages == null)) {
            throw ProblemException.badRequest("enabled",
                    "say what to change: {\"enabled\":true} or {\"enabled\":false}, {\"quotaBytes\":N},"
                            + " {\"quotaMessages\":N} (0: unlimited)");
        }
        Account account = null;
        if (change.quotaBytes != null || change.quotaMessages != null) {
            account = accounts.setQuota(name, change.quotaBytes, change.quotaMessages);
        }
        if (change.enabled != null) {
            account = accounts.setEnabled(name, change.enabled);
        }
        return withUsage(view(account), account);
    }

    /** Deletes the account and its mailbox; its name may then be given to a new account. */
    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        accounts.delete(name);
        return Response.noContent().build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewAccount request) {
        if (request == null || request.name == null) {
            throw ProblemException.badRequest("name", "the account needs a name");
        }
        Account created;
        if (request.password != null) {
            if (request.publicKey != null || request.xzibit != null) {
                throw ProblemException.badRequest("password",
                        "give either a password or a publicKey and xzibit, not both");
            }
            created = accounts.createWithPassword(request.name, request.password.toCharArray());
        } else if (request.publicKey != null && request.xzibit != null) {
            created = accounts.importAccount(request.name, hex("publicKey", request.publicKey),
                    hex("xzibit", request.xzibit));
        } else {
            throw ProblemException.badRequest("password",
                    "give a password, or a publicKey and an xzibit made by the client");
        }
        return Response.created(UriBuilder.fromResource(AccountsResource.class).path(created.getName()).build())
                .entity(withUsage(view(created), created)).build();
    }

    @GET
    @Path("{name}")
    public AccountView get(@PathParam("name") String name) {
        Account account = find(name);
        return withUsage(view(account), account);
    }

    private AccountView withUsage(AccountView view, Account account) {
        Mailbox.Usage usage = mailbox.usage(account);
        view.messages = usage.messages();
        view.bytes = usage.bytes();
        return view;
    }

    @GET
    @Path("{name}/messages")
    public Response messages(@PathParam("name") String name,
            @QueryParam("first") String first, @QueryParam("max") String max) {
        PageRequest page = PageRequest.of(first, max);
        Account account = find(name);
        List<StoredMessageView> messages = mailbox.list(account, page.first(), page.max()).stream()
                .map(AccountsResource::messageView).toList();
        return page.answer(messages, mailbox.count(account));
    }

    @DELETE
    @Path("{name}/messages/{id}")
    public Response deleteMessage(@PathParam("name") String name, @PathParam("id") long id) {
        if (!mailbox.delete(find(name), id)) {
            throw noMessage(name, id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/messages/{id}/raw")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response raw(@PathParam("name") String name, @PathParam("id") long id) {
        byte[] content = mailbox.content(find(name), id)
                .orElseThrow(() -> noMessage(name, id));
        return Response.ok(content, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"message-" + id + ".cmtp\"")
                .build();
    }

    private static ProblemException noMessage(String name, long id) {
        return ProblemException.notFound("id", "no message " + id + " in the mailbox of " + name);
    }

    private Account find(String name) {
        return accounts.find(name).orElseThrow(
                () -> ProblemException.notFound("name", "no account named '" + name + "'"));
    }

    private AccountView view(Account account) {
        AccountView view = new AccountView();
        view.name = account.getName();
        view.address = account.getName() + "@" + configuration.primaryDomain();
        view.publicKey = HexFormat.of().formatHex(account.getPublicKey());
        view.fingerprint = KeyFingerprint.of(account.getPublicKey());
        view.enabled = account.isEnabled();
        view.created = account.getCreated().toString();
        view.quotaBytes = account.getQuotaBytes();
        view.quotaMessages = account.getQuotaMessages();
        return view;
    }

    private static StoredMessageView messageView(MessageSummary message) {
        StoredMessageView view = new StoredMessageView();
        view.id = message.id();
        view.sender = message.sender();
        view.size = message.size();
        view.received = message.received().toString();
        view.clientAddress = message.clientAddress();
        view.viaSmtp = message.viaSmtp();
        return view;
    }

    private static byte[] hex(String field, String value) {
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, field + " is not hexadecimal");
        }
    }
}
