package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.HexFormat;
import java.util.List;

import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountException;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.mailbox.Mailbox;

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

    /** Either {@code password}, or {@code publicKey} and {@code xzibit} (hex) made by the client. */
    public static class NewAccount {
        public String name;
        public String password;
        public String publicKey;
        public String xzibit;
    }

    public static class AccountView {
        public String name;
        public String address;
        public String publicKey;
        public String fingerprint;
        public boolean enabled;
        public String created;
        /** Limits of the mailbox; absent: unlimited. */
        public Long quotaBytes;
        public Long quotaMessages;
        /** What the mailbox holds now (one account's view only, not in the list). */
        public Long messages;
        public Long bytes;
    }

    /** {@code PATCH /api/accounts/{name}}: the fields to change; quotas 0 for unlimited. */
    public static class AccountChange {
        public Boolean enabled;
        public Long quotaBytes;
        public Long quotaMessages;
    }

    /** Total number of items a paged listing has on all its pages (accounts matching the search, messages, queue). */
    public static final String TOTAL_COUNT = "X-Total-Count";

    @GET
    public Response list(@QueryParam("search") String search, @QueryParam("first") @DefaultValue("0") int first,
            @QueryParam("max") @DefaultValue("100") int max) {
        checkPage(first, max);
        List<AccountView> page = accounts.list(search, first, max).stream().map(this::view).toList();
        return Response.ok(page).header(TOTAL_COUNT, accounts.count(search)).build();
    }

    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AccountView change(@PathParam("name") String name, AccountChange change) {
        if (change == null || (change.enabled == null && change.quotaBytes == null && change.quotaMessages == null)) {
            throw new AccountException(AccountException.Kind.INVALID, "enabled",
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
            throw new AccountException(AccountException.Kind.INVALID, "name", "the account needs a name");
        }
        Account created;
        if (request.password != null) {
            if (request.publicKey != null || request.xzibit != null) {
                throw new AccountException(AccountException.Kind.INVALID, "password",
                        "give either a password or a publicKey and xzibit, not both");
            }
            created = accounts.createWithPassword(request.name, request.password.toCharArray());
        } else if (request.publicKey != null && request.xzibit != null) {
            created = accounts.importAccount(request.name, hex("publicKey", request.publicKey),
                    hex("xzibit", request.xzibit));
        } else {
            throw new AccountException(AccountException.Kind.INVALID, "password",
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
            @QueryParam("first") @DefaultValue("0") int first, @QueryParam("max") @DefaultValue("100") int max) {
        checkPage(first, max);
        Account account = find(name);
        return Response.ok(mailbox.list(account, first, max)).header(TOTAL_COUNT, mailbox.count(account)).build();
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

    private static AccountException noMessage(String name, long id) {
        return new AccountException(AccountException.Kind.NOT_FOUND, "id", "no message " + id + " in the mailbox of " + name);
    }

    static void checkPage(int first, int max) {
        if (first < 0) {
            throw new AccountException(AccountException.Kind.INVALID, "first", "first must be ≥ 0");
        }
        if (max < 1 || max > 1000) {
            throw new AccountException(AccountException.Kind.INVALID, "max", "max must be in 1..1000");
        }
    }

    private Account find(String name) {
        return accounts.find(name).orElseThrow(
                () -> new AccountException(AccountException.Kind.NOT_FOUND, "name", "no account named '" + name + "'"));
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

    private static byte[] hex(String field, String value) {
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            throw new AccountException(AccountException.Kind.INVALID, field, field + " is not hexadecimal");
        }
    }
}
