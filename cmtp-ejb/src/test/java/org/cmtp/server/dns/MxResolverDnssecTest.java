package org.cmtp.server.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

import org.cmtp.server.dns.Destination.Source;

/**
 * DNSSEC against the loopback server: an unsigned zone, a zone really signed with
 * dnsjava's DNSSEC classes (NSEC chain included, so NODATA and NXDOMAIN are proven), and
 * a signed zone with a forged record. The trust anchors are the two signed zones' DS
 * records, so the unsigned zone lies outside them: insecure, not bogus.
 */
class MxResolverDnssecTest {

    static final String SOA = """
            $TTL 300
            @    SOA  ns hostmaster 1 3600 600 86400 60
            @    NS   ns
            ns   A    127.0.0.1
            """;

    static LoopbackDnsServer server;
    static Path anchors;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        ZoneSigner signed = new ZoneSigner("signed.test");
        ZoneSigner forged = new ZoneSigner("forged.test");
        server = LoopbackDnsServer.start(
                LoopbackDnsServer.zone("b.test", SOA + """
                        @         MX  10 mx1
                        mx1       A   127.0.0.11
                        """),
                signed.sign(LoopbackDnsServer.zone("signed.test", SOA + """
                        @         MX  10 mx1
                        mx1       A   127.0.0.51
                        implicit  A   127.0.0.52
                        """)),
                forged.sign(LoopbackDnsServer.zone("forged.test", SOA + """
                        @         MX  10 mx1
                        mx1       A   127.0.0.61
                        """), r -> r instanceof ARecord a && a.getAddress().getHostAddress().equals("127.0.0.61")
                        ? new ARecord(a.getName(), a.getDClass(), a.getTTL(), InetAddress.getLoopbackAddress())
                        : r));
        anchors = Files.writeString(dir.resolve("anchors"), signed.trustAnchor() + forged.trustAnchor());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static MxResolver resolver(DnssecMode mode) {
        return new MxResolver(DnsSettings.builder().server(server.address()).timeout(Duration.ofSeconds(2))
                .dnssec(mode).trustAnchors(anchors).build());
    }

    @Test
    void preferAcceptsAnUnsignedZoneAsInsecure() throws MxLookupException {
        Destination destination = resolver(DnssecMode.PREFER).resolve("b.test");
        assertFalse(destination.secure());
        assertEquals(1, destination.targets().size());
    }

    @Test
    void requireRefusesAnUnsignedZone() {
        DnssecException e = assertThrows(DnssecException.class, () -> resolver(DnssecMode.REQUIRE).resolve("b.test"));
        assertEquals("b.test", e.domain());
        assertTrue(e.getMessage().contains("b.test MX") && e.getMessage().contains("insecure")
                && e.getMessage().contains("cmtp.dnssec"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DnssecMode.class, names = {"PREFER", "REQUIRE"})
    void aSignedZoneIsSecureIncludingItsProvenAbsentRecords(DnssecMode mode) throws MxLookupException {
        MxResolver resolver = resolver(mode);
        for (int time = 1; time <= 2; time++) { // the second time from the cache
            Destination destination = resolver.resolve("signed.test");
            assertTrue(destination.secure(), "time " + time);
            assertEquals(List.of(new DeliveryTarget("mx1.signed.test", MxResolverTest.address("127.0.0.51"), 10)),
                    destination.targets(), "mx1 has no AAAA, and the NSEC proves it");
        }
        Destination implicit = resolver.resolve("implicit.signed.test");
        assertEquals(Source.IMPLICIT_MX, implicit.source());
        assertTrue(implicit.secure(), "no MX, proven by NSEC");
        assertThrows(NoSuchDomainException.class, () -> resolver.resolve("nope.signed.test"),
                "an authenticated NXDOMAIN");
    }

    @ParameterizedTest
    @EnumSource(value = DnssecMode.class, names = {"PREFER", "REQUIRE"})
    void aForgedRecordIsBogusAndRefused(DnssecMode mode) {
        DnssecException e = assertThrows(DnssecException.class, () -> resolver(mode).resolve("forged.test"));
        assertTrue(e.getMessage().contains("forged.test") && e.getMessage().contains("bogus"), e.getMessage());
    }

    @Test
    void checkShowsTheDnssecStatus() throws MxLookupException {
        assertTrue(resolver(DnssecMode.PREFER).check("signed.test").secure());
        DnsCheck unsigned = resolver(DnssecMode.PREFER).check("b.test");
        assertFalse(unsigned.secure());
        assertEquals(DnssecMode.PREFER, unsigned.dnssec());
    }

    @Test
    void withTheShippedRootAnchorsTheLoopbackServerCannotBeTrusted() {
        // The loopback server refuses questions about the root, so the chain of trust from
        // the IANA anchors cannot be built: bogus, even under prefer.
        MxResolver resolver = new MxResolver(DnsSettings.builder().server(server.address())
                .timeout(Duration.ofSeconds(2)).dnssec(DnssecMode.PREFER).build());
        DnssecException e = assertThrows(DnssecException.class, () -> resolver.resolve("b.test"));
        assertTrue(e.getMessage().contains("DNSKEY"), e.getMessage());
    }

    @Test
    void theShippedTrustAnchorsAreTheIanaRootKeySigningKeys() throws Exception {
        ValidatingResolver validating = new ValidatingResolver(new SimpleResolver(server.address()));
        try (InputStream in = MxResolver.class.getResourceAsStream(MxResolver.ROOT_TRUST_ANCHORS)) {
            validating.loadTrustAnchors(in);
        }
        Set<Integer> keyTags = validating.getTrustAnchors().items().stream()
                .flatMap(set -> set.rrs().stream())
                .map(r -> ((DSRecord) r).getFootprint())
                .collect(Collectors.toSet());
        assertEquals(Set.of(20326, 38696), keyTags);
    }

    @Test
    void aTrustAnchorFileWithoutAnchorsIsRefused(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "; nothing\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MxResolver(
                DnsSettings.builder().dnssec(DnssecMode.REQUIRE).trustAnchors(empty).build()));
        assertTrue(e.getMessage().contains("cmtp.dnssec-trust-anchors"), e.getMessage());
    }
}
