package org.cmtp.server.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class LoopbackDnsServerTest {

    static final String ZONE = """
            $TTL 300
            @        SOA  ns hostmaster 1 3600 600 86400 60
            @        NS   ns
            ns       A    127.0.0.1
            @        MX   10 mx1
            mx1      A    127.0.0.11
            alias    CNAME mx1
            """ + IntStream.rangeClosed(1, 100).mapToObj(i -> "big A 127.0.1." + i + "\n").collect(Collectors.joining());

    static LoopbackDnsServer server;

    @BeforeAll
    static void start() throws IOException {
        server = LoopbackDnsServer.start(LoopbackDnsServer.zone("b.test", ZONE));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersAuthoritativelyOverUdpAndTcp() throws IOException {
        for (boolean tcp : List.of(false, true)) {
            SimpleResolver resolver = resolver();
            resolver.setTCP(tcp);
            int tcpBefore = server.tcpQueryCount();
            Message reply = resolver.send(query("b.test.", Type.MX));
            assertEquals(Rcode.NOERROR, reply.getRcode());
            assertTrue(reply.getHeader().getFlag(Flags.AA), "authoritative");
            assertEquals("10 mx1.b.test.", reply.getSection(Section.ANSWER).get(0).rdataToString());
            assertEquals(tcp ? tcpBefore + 1 : tcpBefore, server.tcpQueryCount());
        }
    }

    @Test
    void followsACnameInsideTheZone() throws IOException {
        Message reply = resolver().send(query("alias.b.test.", Type.A));
        assertEquals(List.of(Type.CNAME, Type.A),
                reply.getSection(Section.ANSWER).stream().map(r -> r.getType()).toList());
    }

    @Test
    void unknownNamesInTheZoneAreNxdomainWithTheSoaAndOthersAreRefused() throws IOException {
        Message nxdomain = resolver().send(query("nope.b.test.", Type.MX));
        assertEquals(Rcode.NXDOMAIN, nxdomain.getRcode());
        assertTrue(nxdomain.getHeader().getFlag(Flags.AA));
        assertEquals(Type.SOA, nxdomain.getSection(Section.AUTHORITY).get(0).getType(), "lets resolvers cache it");

        Message nodata = resolver().send(query("mx1.b.test.", Type.AAAA));
        assertEquals(Rcode.NOERROR, nodata.getRcode());
        assertTrue(nodata.getSection(Section.ANSWER).isEmpty());

        assertEquals(Rcode.REFUSED, resolver().send(query("c.test.", Type.MX)).getRcode());
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        SimpleResolver udpOnly = resolver();
        udpOnly.setIgnoreTruncation(true);
        Message truncated = udpOnly.send(query("big.b.test.", Type.A));
        assertTrue(truncated.getHeader().getFlag(Flags.TC));
        assertTrue(truncated.getSection(Section.ANSWER).size() < 100);

        int tcpBefore = server.tcpQueryCount();
        Message whole = resolver().send(query("big.b.test.", Type.A));
        assertFalse(whole.getHeader().getFlag(Flags.TC));
        assertEquals(100, whole.getSection(Section.ANSWER).size());
        assertEquals(tcpBefore + 1, server.tcpQueryCount(), "the resolver retried over TCP");
    }

    @Test
    void droppedQueriesAreCountedButNeverAnswered() throws IOException {
        try (LoopbackDnsServer silent = LoopbackDnsServer.start(LoopbackDnsServer.zone("b.test", ZONE))) {
            silent.dropQueries(true);
            SimpleResolver resolver = new SimpleResolver(silent.address());
            resolver.setTimeout(Duration.ofMillis(300));
            assertThrows(IOException.class, () -> resolver.send(query("b.test.", Type.MX)));
            assertEquals(1, silent.queryCount());
        }
    }

    @Test
    void aZoneWithoutSoaIsRejected() {
        assertThrows(IOException.class, () -> LoopbackDnsServer.zone("b.test", "@ 300 NS ns\n"));
    }

    @Test
    void mainServesZoneFilesGivenOnTheCommandLine(@TempDir Path dir) throws Exception {
        Path zoneFile = Files.writeString(dir.resolve("c.test.zone"), """
                $ORIGIN c.test.
                $TTL 60
                @    SOA ns hostmaster 1 3600 600 86400 60
                @    NS  ns
                ns   A   127.0.0.1
                mx   A   127.0.0.33
                """);
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LoopbackDnsServer.class.getName(), zoneFile.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.matches("listening on 127\\.0\\.0\\.1:\\d+"), String.valueOf(line));
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
            Message reply = resolver.send(query("mx.c.test.", Type.A));
            assertEquals("127.0.0.33", ((ARecord) reply.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        }
    }

    private static SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver;
    }

    static Message query(String name, int type) {
        return Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
    }
}
