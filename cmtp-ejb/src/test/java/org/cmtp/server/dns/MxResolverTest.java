package org.cmtp.server.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;

import org.cmtp.server.dns.Destination.Source;
import org.cmtp.server.dns.DnsCheck.MxHost;

/** {@link MxResolver} against a real DNS server on loopback. */
class MxResolverTest {

    static final String ZONE = """
            $TTL 300
            @         SOA   ns hostmaster 1 3600 600 86400 60
            @         NS    ns
            ns        A     127.0.0.1
            @         MX    20 mx2
            @         MX    10 mx1
            @         MX    20 mx3
            mx1       A     127.0.0.11
            mx1       A     127.0.0.12
            mx1       AAAA  ::11
            mx2       A     127.0.0.21
            mx3       AAAA  ::31
            implicit  A     127.0.0.41
            implicit  AAAA  ::41
            nullmx    MX    0 .
            brief  1  MX    10 mx1
            lonely    MX    10 nowhere
            textonly  TXT   "no mail here"
            big       MX    10 big
            """ + IntStream.rangeClosed(1, 100).mapToObj(i -> "big A 127.0.1." + i + "\n").collect(Collectors.joining());

    static LoopbackDnsServer server;
    MxResolver resolver;

    @BeforeAll
    static void start() throws IOException {
        server = LoopbackDnsServer.start(LoopbackDnsServer.zone("b.test", ZONE));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void newResolverWithAnEmptyCache() {
        resolver = new MxResolver(settings().build());
    }

    DnsSettings.Builder settings() {
        return DnsSettings.builder().server(server.address()).timeout(Duration.ofSeconds(2));
    }

    @Test
    void mxHostsComeByPreferenceEachWithItsIpv4ThenIpv6Addresses() throws MxLookupException {
        Destination destination = resolver.resolve("b.test");

        assertEquals(Source.MX, destination.source());
        assertTrue(destination.acceptsMail());
        assertFalse(destination.secure(), "DNSSEC is off");
        List<DeliveryTarget> targets = destination.targets();
        assertEquals(List.of(
                new DeliveryTarget("mx1.b.test", address("127.0.0.11"), 10),
                new DeliveryTarget("mx1.b.test", address("127.0.0.12"), 10),
                new DeliveryTarget("mx1.b.test", address("::11"), 10)), targets.subList(0, 3));
        assertEquals(Set.of(
                new DeliveryTarget("mx2.b.test", address("127.0.0.21"), 20),
                new DeliveryTarget("mx3.b.test", address("::31"), 20)), Set.copyOf(targets.subList(3, 5)));
        assertEquals(5, targets.size());
    }

    @Test
    void hostsOfEqualPreferenceComeInRandomOrder() throws MxLookupException {
        Set<String> firstOfTheTwenties = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            firstOfTheTwenties.add(resolver.resolve("b.test").targets().get(3).host());
        }
        assertEquals(Set.of("mx2.b.test", "mx3.b.test"), firstOfTheTwenties);
    }

    @Test
    void aDomainWithoutMxIsItsOwnMailServer() throws MxLookupException {
        Destination destination = resolver.resolve("implicit.b.test");
        assertEquals(Source.IMPLICIT_MX, destination.source());
        assertEquals(List.of(
                new DeliveryTarget("implicit.b.test", address("127.0.0.41"), 0),
                new DeliveryTarget("implicit.b.test", address("::41"), 0)), destination.targets());
    }

    @Test
    void aNullMxMeansNoMailAtAll() throws MxLookupException {
        Destination destination = resolver.resolve("nullmx.b.test");
        assertEquals(Source.NULL_MX, destination.source());
        assertFalse(destination.acceptsMail());
        assertEquals(List.of(), destination.targets());
    }

    @Test
    void aDomainThatDoesNotExistIsNoSuchDomain() {
        NoSuchDomainException e = assertThrows(NoSuchDomainException.class, () -> resolver.resolve("nope.b.test"));
        assertEquals("nope.b.test", e.domain());
        assertTrue(e.getMessage().contains("nope.b.test") && e.getMessage().contains("NXDOMAIN"), e.getMessage());
    }

    @Test
    void aNameThatCannotBeADomainIsNoSuchDomainWithoutAsking() {
        int before = server.queryCount();
        for (String bad : new String[] {"", "a b.test", "a..test", "-a.test", "x".repeat(64) + ".test"}) {
            assertThrows(NoSuchDomainException.class, () -> resolver.resolve(bad), bad);
        }
        assertEquals(before, server.queryCount());
    }

    @Test
    void namesAreLookedUpCaseInsensitivelyWithOrWithoutTheFinalDot() throws MxLookupException {
        assertEquals("b.test", resolver.resolve("B.Test.").domain());
    }

    @Test
    void mxHostsWithoutAddressesMakeTheLookupFailAndCheckSaysWhy() throws MxLookupException {
        DnsLookupException e = assertThrows(DnsLookupException.class, () -> resolver.resolve("lonely.b.test"));
        assertTrue(e.getMessage().contains("lonely.b.test") && e.getMessage().contains("nowhere.b.test"), e.getMessage());

        DnsCheck check = resolver.check("lonely.b.test");
        assertEquals(List.of(new MxHost("nowhere.b.test", 10, List.of(), Optional.of("does not exist (NXDOMAIN)"))),
                check.hosts());

        DnsLookupException none = assertThrows(DnsLookupException.class, () -> resolver.resolve("textonly.b.test"));
        assertTrue(none.getMessage().contains("no MX record and no address"), none.getMessage());
    }

    @Test
    void droppedQueriesFailWithinTheTimeout() throws IOException {
        try (LoopbackDnsServer silent = LoopbackDnsServer.start(LoopbackDnsServer.zone("b.test", ZONE))) {
            silent.dropQueries(true);
            MxResolver impatient = new MxResolver(DnsSettings.builder()
                    .server(silent.address()).timeout(Duration.ofSeconds(1)).build());
            long start = System.nanoTime();
            DnsLookupException e = assertThrows(DnsLookupException.class, () -> impatient.resolve("b.test"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // dnsjava notices timeouts when its selector wakes, about once a second
            assertTrue(took.compareTo(Duration.ofMillis(3000)) < 0, "took " + took);
            assertTrue(e.getMessage().contains("b.test") && e.getMessage().contains("cmtp.dns-timeout")
                    && e.getMessage().contains(silent.hostAndPort()), e.getMessage());
            assertTrue(silent.queryCount() >= 1);
        }
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        resolver.resolve("b.test");
        resolver.resolve("brief.b.test");
        assertThrows(NoSuchDomainException.class, () -> resolver.resolve("nope.b.test"));
        int afterFirst = server.queryCount();

        resolver.resolve("b.test");
        resolver.resolve("brief.b.test");
        assertThrows(NoSuchDomainException.class, () -> resolver.resolve("nope.b.test"));
        assertEquals(afterFirst, server.queryCount(), "answers and NXDOMAIN served from the cache");

        Thread.sleep(2100); // brief.b.test's MX has a TTL of 1 s
        resolver.resolve("b.test");
        resolver.resolve("brief.b.test");
        assertEquals(afterFirst + 1, server.queryCount(), "only the expired MX was asked again");
    }

    @Test
    void aTruncatedAnswerIsFetchedOverTcp() throws MxLookupException {
        int tcpBefore = server.tcpQueryCount();
        Destination destination = resolver.resolve("big.b.test");
        assertEquals(100, destination.targets().size());
        assertTrue(server.tcpQueryCount() > tcpBefore);
    }

    @Test
    void staticRoutesWinOverTheDns() throws MxLookupException {
        MxResolver routed = new MxResolver(settings().mxPort(9100).routes(DnsSettings.routes(
                "b.test=127.0.0.3:9001, c.test=[::1]:9002, d.test=127.0.0.4, d.test=localhost")).build());
        int before = server.queryCount();

        Destination b = routed.resolve("b.test");
        assertEquals(Source.STATIC_ROUTE, b.source());
        assertEquals(List.of(new DeliveryTarget("127.0.0.3", address("127.0.0.3", 9001), 0)), b.targets());
        assertEquals(address("::1", 9002), routed.resolve("c.test").targets().get(0).address());
        List<DeliveryTarget> d = routed.resolve("d.test").targets();
        assertEquals(new DeliveryTarget("127.0.0.4", address("127.0.0.4", 9100), 0), d.get(0), "default port");
        assertEquals(new DeliveryTarget("localhost", address("127.0.0.1", 9100), 1), d.get(1), "a host name, in order");
        assertEquals(before, server.queryCount(), "no DNS query for routed domains");

        assertEquals(Source.IMPLICIT_MX, routed.resolve("implicit.b.test").source(), "other domains still use the DNS");
        assertTrue(routed.check("b.test").staticRoute());
    }

    @Test
    void checkShowsTheHostsTheirAddressesAndWhetherARouteApplied() throws MxLookupException {
        DnsCheck check = resolver.check("b.test");
        assertEquals("b.test", check.domain());
        assertFalse(check.staticRoute());
        assertFalse(check.secure());
        assertEquals(DnssecMode.OFF, check.dnssec());
        assertEquals(List.of("mx1.b.test", 10), List.of(check.hosts().get(0).name(), check.hosts().get(0).preference()));
        assertEquals(List.of(address("127.0.0.11"), address("127.0.0.12"), address("::11")),
                check.hosts().get(0).addresses());
        assertTrue(check.hosts().stream().allMatch(h -> h.problem().isEmpty()));
        assertEquals(resolver.resolve("b.test").targets().subList(0, 3), check.targets().subList(0, 3));
    }

    static InetSocketAddress address(String ip) {
        return address(ip, DnsSettings.DEFAULT_MX_PORT);
    }

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(Address.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
