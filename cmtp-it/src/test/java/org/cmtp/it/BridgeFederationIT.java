package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.server.dns.LoopbackDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cmtp bridge} across two federated domains (issue #17): a.test on 127.0.0.111 and
 * b.test on 127.0.0.112, found through MX records of a real DNS server on loopback (as
 * FederationIT), a bridge for alice@a.test and one for bob@b.test. Python's smtplib sends
 * from alice to bob (remote) and carol (local) in one message, with an attachment; bob's
 * bridge lists, fetches (parsed by Python's email), marks, idles and deletes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeFederationIT {

    private static final String ZONE = """
            $TTL 60
            @ IN SOA ns.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
            @ IN NS ns.%1$s.
            @ IN MX 10 mx.%1$s.
            ns IN A 127.0.0.1
            mx IN A %2$s
            """;
    /** Ports of this run (FreePorts); the CMTP port is both domains' (their MX port). */
    private static final int CMTP_PORT = FreePorts.take();
    private static final int ALICE_IMAP = FreePorts.take();
    private static final int ALICE_SMTP = FreePorts.take();
    private static final int BOB_IMAP = FreePorts.take();
    private static final int BOB_SMTP = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private LoopbackDnsServer dns;
    private LaunchedServer a;
    private LaunchedServer b;
    private BridgeIT.BridgeProcess alice;
    private BridgeIT.BridgeProcess bob;

    @BeforeAll
    void start() throws Exception {
        dns = servers.manage(LoopbackDnsServer.start(LoopbackDnsServer.zone("a.test.", ZONE.formatted("a.test", "127.0.0.111")),
                LoopbackDnsServer.zone("b.test.", ZONE.formatted("b.test", "127.0.0.112"))));
        a = domain("a.test", "127.0.0.111", "pw-bridge-a");
        b = domain("b.test", "127.0.0.112", "pw-bridge-b");
        servers.start(a, b);
        AdminClient aAdmin = a.admin();
        aAdmin.createAccount("alice", "alice-password-1234");
        aAdmin.createAccount("carol", "carol-password-1234");
        b.admin().createAccount("bob", "bob-password-123456");
        Path configs = Files.createDirectories(Path.of("target", "bridge-federation-config"));
        alice = new BridgeIT.BridgeProcess(a, "alice@a.test", "alice-password-1234",
                BridgeIT.fresh(configs.resolve("alice")), "127.0.0.111", ALICE_IMAP, ALICE_SMTP);
        bob = new BridgeIT.BridgeProcess(b, "bob@b.test", "bob-password-123456", BridgeIT.fresh(configs.resolve("bob")),
                "127.0.0.112", BOB_IMAP, BOB_SMTP);
    }

    private LaunchedServer domain(String name, String address, String adminPassword) throws Exception {
        return servers.newServer("bridge-" + name, address, CMTP_PORT, name, adminPassword)
                .with("CMTP_DNS_SERVERS", dns.hostAndPort())
                .with("CMTP_MX_PORT", Integer.toString(CMTP_PORT))
                .with("CMTP_DIAL_NETWORKS", "127.0.0.111/32,127.0.0.112/32")
                .with("CMTP_RETRY_INITIAL", "2")
                .with("CMTP_RETRY_MAX", "4")
                .with("CMTP_RELAY_NETWORKS", "127.0.0.1/32");
    }

    /** The bridges, before the extension closes the servers and the DNS server. */
    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {alice, bob}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (alice != null) {
            System.out.println("alice's bridge:\n" + alice.out + alice.err);
            System.out.println("bob's bridge:\n" + bob.out + bob.err);
        }
    }

    @Test
    void aliceOnATestWritesToBobOnBTestAndCarolAtHome() throws Exception {
        String output = BridgeIT.run(Duration.ofMinutes(5), "python3", "src/test/python/bridge_mail.py", "127.0.0.111",
                Integer.toString(alice.smtpPort), alice.password, Integer.toString(bob.imapPort), bob.password,
                alice.address, bob.address, "carol@a.test", "127.0.0.112");
        assertTrue(output.contains("python: all checks passed"), output);
    }
}
