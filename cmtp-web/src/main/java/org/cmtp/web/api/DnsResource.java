package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.InetSocketAddress;
import java.util.Locale;

import org.cmtp.server.dns.DnsCheck;
import org.cmtp.server.dns.MxLookupException;
import org.cmtp.server.dns.MxResolver;
import org.cmtp.server.dns.NoSuchDomainException;

import org.cmtp.web.api.dto.DnsView;
import org.cmtp.web.api.dto.HostView;

/**
 * {@code GET /api/dns/{domain}}: where this server would deliver mail for a domain, MX host
 * by MX host, as the relay worker would find it (routes, DNSSEC policy and all).
 */
@Path("dns")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class DnsResource {

    /** {@link NoSuchDomainException#reason()} of a name that is not a domain name at all (see MxResolver). */
    private static final String INVALID = "not a valid domain name";

    @Inject
    private MxResolver resolver;

    @GET
    @Path("{domain}")
    public Response check(@PathParam("domain") String domain) {
        DnsCheck check;
        try {
            check = resolver.check(domain);
        } catch (NoSuchDomainException e) {
            Response.Status status = e.reason().equals(INVALID) ? Response.Status.BAD_REQUEST : Response.Status.NOT_FOUND;
            throw new ProblemException(status, "domain", e.getMessage());
        } catch (MxLookupException e) {
            throw new ProblemException(Response.Status.BAD_GATEWAY, "domain", e.getMessage());
        }
        return Response.ok(view(check)).build();
    }

    private static DnsView view(DnsCheck check) {
        DnsView view = new DnsView();
        view.domain = check.domain();
        view.source = check.source().name();
        view.staticRoute = check.staticRoute();
        view.secure = check.secure();
        view.dnssec = check.dnssec().name().toLowerCase(Locale.ROOT);
        view.hosts = check.hosts().stream().map(h -> {
            HostView host = new HostView();
            host.name = h.name();
            host.preference = h.preference();
            host.addresses = h.addresses().stream().map(DnsResource::address).toList();
            host.problem = h.problem().orElse(null);
            return host;
        }).toList();
        return view;
    }

    private static String address(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
