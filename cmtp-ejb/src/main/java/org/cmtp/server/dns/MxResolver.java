package org.cmtp.server.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

import org.cmtp.server.dns.Destination.Source;
import org.cmtp.server.dns.DnsCheck.MxHost;

/**
 * Finds the CMTP servers of a domain (PROTOCOL.md §7): a static route if one is
 * configured, else the domain's MX hosts by preference, each host's IPv4 then IPv6
 * addresses, on the CMTP port. Hosts with equal preference come in random order
 * (RFC 5321 5.1: spread the load). No MX records means the domain itself is the host
 * (implicit MX); a null MX (RFC 7505) means the domain accepts no mail.
 *
 * <p>Answers are cached for their TTL by one dnsjava {@link LookupSession}; with
 * {@code cmtp.dnssec} on, they pass dnsjava's {@link ValidatingResolver} and the policy in
 * {@link DnssecPolicyResolver}. Thread-safe; one instance serves the whole application.
 */
public final class MxResolver {

    /** The IANA root trust anchors, in this package's resources. */
    static final String ROOT_TRUST_ANCHORS = "root-anchors.txt";

    private final DnsSettings settings;
    private final Map<String, List<StaticRoute>> routes;
    private final LookupSession session;
    private final DnssecPolicyResolver dnssec;
    private final Duration hangGuard;
    /** Orders MX hosts of equal preference. */
    private final Random random = new Random();

    /**
     * @throws IllegalArgumentException if DNSSEC is on and the trust anchor file holds no anchor
     * @throws java.io.UncheckedIOException if DNSSEC is on and the trust anchors cannot be read
     */
    public MxResolver(DnsSettings settings) {
        this.settings = settings;
        this.routes = settings.routes().stream().collect(Collectors.groupingBy(
                StaticRoute::domain, LinkedHashMap::new, Collectors.toList()));
        Resolver transport = transport(settings);
        this.dnssec = settings.dnssec() == DnssecMode.OFF
                ? null
                : new DnssecPolicyResolver(validating(transport, settings), settings.dnssec());
        this.session = LookupSession.builder()
                .resolver(dnssec == null ? transport : dnssec)
                .cache(new Cache(DClass.IN))
                .build();
        // Each query is bounded by the timeout, but a validated lookup may need several
        // (keys first); this only stops a caller from waiting forever on a lost future.
        this.hangGuard = settings.timeout().multipliedBy(4);
    }

    public DnsSettings settings() {
        return settings;
    }

    /**
     * Where to deliver mail for {@code domain}: the addresses to try, in order. Empty only
     * for a null MX ({@link Destination#acceptsMail()} is false).
     *
     * @throws NoSuchDomainException the domain does not exist or is not a valid name
     * @throws DnsLookupException no usable answer, or no MX host has an address
     * @throws DnssecException the {@code cmtp.dnssec} policy refused an answer
     */
    public Destination resolve(String domain) throws MxLookupException {
        Inspection inspection = inspect(domain);
        DnsCheck check = inspection.check();
        List<DeliveryTarget> targets = check.targets();
        if (targets.isEmpty() && check.source() != Source.NULL_MX) {
            throw noAddress(check, inspection.hostFailures());
        }
        return new Destination(check.domain(), check.source(), targets, check.secure());
    }

    /**
     * What {@link #resolve(String)} would use, host by host, with the problems of hosts
     * that have no address, for the operator. Throws only what stops the lookup as a whole.
     */
    public DnsCheck check(String domain) throws MxLookupException {
        return inspect(domain).check();
    }

    // ---- the lookup -------------------------------------------------------------------

    /** A check, and the failures behind its hosts' problems, which {@link #resolve} reports. */
    private record Inspection(DnsCheck check, List<MxLookupException> hostFailures) {
    }

    /** One answer: its records (empty for NODATA), whether the name exists, whether it was authenticated. */
    private record Answer(List<Record> records, boolean exists, boolean secure) {
    }

    private Inspection inspect(String requested) throws MxLookupException {
        String domain = DomainName.normalize(requested).orElseThrow(
                () -> new NoSuchDomainException(String.valueOf(requested), "not a valid domain name"));
        List<StaticRoute> routed = routes.get(domain);
        if (routed != null) {
            return routedInspection(domain, routed);
        }
        Name name = absolute(domain);
        Answer mx = await(domain, name, Type.MX, lookup(name, Type.MX));
        if (!mx.exists()) {
            throw new NoSuchDomainException(domain, "the DNS says it does not exist (NXDOMAIN)");
        }
        List<MXRecord> records = mx.records().stream()
                .filter(MXRecord.class::isInstance).map(MXRecord.class::cast).toList();
        if (records.isEmpty()) {
            return addressInspection(domain, Source.IMPLICIT_MX, List.of(new Exchange(name, 0)), mx.secure());
        }
        List<Exchange> exchanges = exchanges(records);
        if (exchanges.isEmpty()) {
            return new Inspection(new DnsCheck(domain, Source.NULL_MX, List.of(), mx.secure(), settings.dnssec()), List.of());
        }
        return addressInspection(domain, Source.MX, exchanges, mx.secure());
    }

    /** An MX host and its preference. */
    private record Exchange(Name host, int preference) {
    }

    /**
     * The MX hosts in the order to try them: by preference, equal ones shuffled, each
     * host once. MX records pointing at the root are the null MX (RFC 7505) and name no
     * host; if that leaves none, the domain accepts no mail.
     */
    private List<Exchange> exchanges(List<MXRecord> records) {
        List<MXRecord> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, random);
        Map<Name, Exchange> byHost = new LinkedHashMap<>();
        shuffled.stream()
                .filter(mx -> !mx.getTarget().equals(Name.root))
                .sorted(Comparator.comparingInt(MXRecord::getPriority)) // stable: keeps the shuffle within a preference
                .forEach(mx -> byHost.putIfAbsent(mx.getTarget(), new Exchange(mx.getTarget(), mx.getPriority())));
        return List.copyOf(byHost.values());
    }

    /** Looks up every host's A and AAAA records at once, then collects them in host order. */
    private Inspection addressInspection(String domain, Source source, List<Exchange> exchanges, boolean mxSecure)
            throws MxLookupException {
        Map<Exchange, List<CompletableFuture<LookupResult>>> pending = new LinkedHashMap<>();
        for (Exchange exchange : exchanges) {
            pending.put(exchange, List.of(lookup(exchange.host(), Type.A), lookup(exchange.host(), Type.AAAA)));
        }
        List<MxHost> hosts = new ArrayList<>();
        List<MxLookupException> failures = new ArrayList<>();
        boolean secure = mxSecure;
        for (Map.Entry<Exchange, List<CompletableFuture<LookupResult>>> entry : pending.entrySet()) {
            Exchange exchange = entry.getKey();
            String host = hostName(exchange.host());
            List<InetSocketAddress> addresses = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            boolean exists = false;
            int type = Type.A;
            for (CompletableFuture<LookupResult> future : entry.getValue()) {
                try {
                    Answer answer = await(domain, exchange.host(), type, future);
                    exists |= answer.exists();
                    secure &= answer.secure();
                    answer.records().stream()
                            .map(MxResolver::address)
                            .flatMap(Optional::stream)
                            .forEach(a -> addresses.add(new InetSocketAddress(a, settings.mxPort())));
                } catch (MxLookupException e) {
                    failures.add(e);
                    problems.add(e.reason());
                }
                type = Type.AAAA;
            }
            if (addresses.isEmpty() && problems.isEmpty()) {
                problems.add(exists ? "has no A or AAAA record" : "does not exist (NXDOMAIN)");
            }
            hosts.add(new MxHost(host, exchange.preference(), addresses, problem(problems)));
        }
        return new Inspection(new DnsCheck(domain, source, hosts, secure, settings.dnssec()), failures);
    }

    /** The address alone: dnsjava names it after the record's owner, which would show as {@code mx1.b.test./192.0.2.1}. */
    private static Optional<InetAddress> address(Record record) {
        InetAddress address = record instanceof ARecord a ? a.getAddress()
                : record instanceof AAAARecord aaaa ? aaaa.getAddress()
                : null;
        try {
            return address == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(address.getAddress()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an A or AAAA record with an address of the wrong length", e);
        }
    }

    /** Routes skip the DNS; a host name in a route goes to the system resolver. */
    private Inspection routedInspection(String domain, List<StaticRoute> routed) {
        List<MxHost> hosts = new ArrayList<>();
        List<MxLookupException> failures = new ArrayList<>();
        int preference = 0;
        for (StaticRoute route : routed) {
            int port = route.port() == 0 ? settings.mxPort() : route.port();
            List<InetSocketAddress> addresses = new ArrayList<>();
            Optional<String> problem = Optional.empty();
            try {
                Stream.of(InetAddress.getAllByName(route.host()))
                        .sorted(Comparator.comparing((InetAddress a) -> a.getAddress().length)) // IPv4 first
                        .forEach(a -> addresses.add(new InetSocketAddress(a, port)));
            } catch (UnknownHostException e) {
                DnsLookupException failure = new DnsLookupException(domain,
                        "the host " + route.host() + " of its static route is unknown to the system resolver", e);
                failures.add(failure);
                problem = Optional.of(failure.reason());
            }
            hosts.add(new MxHost(route.host(), preference++, addresses, problem));
        }
        return new Inspection(new DnsCheck(domain, Source.STATIC_ROUTE, hosts, false, settings.dnssec()), failures);
    }

    private static MxLookupException noAddress(DnsCheck check, List<MxLookupException> failures) {
        boolean dnssec = failures.stream().anyMatch(DnssecException.class::isInstance);
        String why = check.hosts().stream()
                .map(h -> h.name() + " (" + h.problem().orElse("no address") + ")")
                .collect(Collectors.joining("; "));
        String message = (check.source() == Source.IMPLICIT_MX
                ? "it has no MX record and no address of its own: "
                : "none of its CMTP servers has an address: ") + why;
        return dnssec
                ? new DnssecException(check.domain(), message)
                : new DnsLookupException(check.domain(), message, failures.isEmpty() ? null : failures.get(0));
    }

    // ---- one DNS question ----------------------------------------------------------------

    private CompletableFuture<LookupResult> lookup(Name name, int type) {
        return session.lookupAsync(name, type).toCompletableFuture();
    }

    /** Waits for an answer and says what it means; NXDOMAIN and NODATA are answers, not failures. */
    private Answer await(String domain, Name name, int type, CompletableFuture<LookupResult> pending)
            throws MxLookupException {
        String question = hostName(name) + " " + Type.string(type);
        try {
            LookupResult result = pending.get(hangGuard.toMillis(), TimeUnit.MILLISECONDS);
            List<Record> records = result.getRecords().stream().filter(r -> r.getType() == type).toList();
            // The names behind the answer: the one asked, any CNAMEs followed, the final owner.
            // A CNAME target answered in the same message has no verdict of its own and so
            // counts as not secure: the flag errs on the safe side.
            List<Name> asked = new ArrayList<>(result.getAliases());
            asked.add(name);
            records.stream().findFirst().ifPresent(r -> asked.add(r.getName()));
            return new Answer(records, true, secure(asked, type));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.xbill.DNS.lookup.NoSuchDomainException) {
                return new Answer(List.of(), false, secure(List.of(name), type));
            }
            if (cause instanceof NoSuchRRSetException) {
                return new Answer(List.of(), true, secure(List.of(name), type));
            }
            if (cause instanceof DnssecPolicyResolver.Refusal refusal) {
                throw new DnssecException(domain, question + ": " + refusal.getMessage());
            }
            throw new DnsLookupException(domain, question + ": " + describe(cause), cause);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new DnsLookupException(domain, question + ": no answer within " + seconds(hangGuard), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsLookupException(domain, question + ": interrupted", e);
        }
    }

    private String describe(Throwable cause) {
        if (cause instanceof ServerFailedException) {
            return "the DNS server failed (SERVFAIL)";
        }
        if (cause instanceof IOException && String.valueOf(cause.getMessage()).startsWith("Timed out")) {
            // dnsjava's own words name no server and no time; ours say which setting applies
            return "no answer within " + seconds(settings.timeout()) + " (" + DnsSettings.TIMEOUT + ") from " + servers();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private String servers() {
        return settings.servers().isEmpty()
                ? "the system's DNS servers"
                : settings.servers().stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                        .collect(Collectors.joining(", "));
    }

    private static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * Whether answers to these questions were authenticated. Under {@code require} every
     * answer that got this far was: the policy refuses the others before they are cached.
     */
    private boolean secure(List<Name> asked, int type) {
        if (dnssec == null) {
            return false;
        }
        return settings.dnssec() == DnssecMode.REQUIRE || asked.stream().allMatch(n -> dnssec.authenticated(n, type));
    }

    // ---- names and resolvers -------------------------------------------------------------

    private static Name absolute(String domain) {
        return Name.fromConstantString(domain + ".");
    }

    private static String hostName(Name name) {
        return name.toString(true);
    }

    private static Optional<String> problem(List<String> problems) {
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /**
     * The configured servers, or the system's, each asked for half the timeout so a lost
     * packet still leaves time for one more try within it.
     */
    private static Resolver transport(DnsSettings settings) {
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : settings.servers();
        ExtendedResolver resolver = new ExtendedResolver(
                servers.stream().map(a -> (Resolver) new SimpleResolver(a)).toList());
        for (Resolver server : resolver.getResolvers()) {
            server.setTimeout(settings.timeout().dividedBy(2));
        }
        resolver.setTimeout(settings.timeout());
        return resolver;
    }

    private static ValidatingResolver validating(Resolver transport, DnsSettings settings) {
        ValidatingResolver validating = new ValidatingResolver(transport);
        String source = settings.trustAnchors().map(p -> p.toString())
                .orElse("the IANA root trust anchors (" + ROOT_TRUST_ANCHORS + ")");
        try (InputStream anchors = settings.trustAnchors().isPresent()
                ? Files.newInputStream(settings.trustAnchors().get())
                : MxResolver.class.getResourceAsStream(ROOT_TRUST_ANCHORS)) {
            if (anchors == null) {
                throw new IOException("not found");
            }
            validating.loadTrustAnchors(anchors);
        } catch (IOException e) {
            throw new UncheckedIOException(DnsSettings.TRUST_ANCHORS + ": cannot read " + source + ": " + e.getMessage(), e);
        }
        if (validating.getTrustAnchors().items().isEmpty()) {
            // Without an anchor every answer would pass as "insecure": validation in name only.
            throw new IllegalArgumentException(DnsSettings.TRUST_ANCHORS + " (" + DnsSettings.environmentVariable(
                    DnsSettings.TRUST_ANCHORS) + "): " + source + " holds no DS or DNSKEY record");
        }
        return validating;
    }
}
