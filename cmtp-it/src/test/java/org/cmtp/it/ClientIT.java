package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.InvalidSignatureException;
import org.cmtp.client.MailSender;
import org.cmtp.client.NoSuchAccountException;
import org.cmtp.client.OutgoingMail;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.client.Receipt;
import org.cmtp.client.ReceiptInvalidException;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sending side against one real server started by {@code ./cmtp-server}: the {@code cmtp}
 * command (its shaded jar run as a process, as a user would) and the {@link CmtpClient} API,
 * with receipts checked by libsodium too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientIT {

    /** Ports of this run (FreePorts). */
    private static final int CMTP_PORT = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "client.test";
    private static final String ADMIN_PASSWORD = "pw-client";
    private static final String CAROL_PASSWORD = "carol's password 7";
    /** A sender of another domain: this test's client is outside the server's cmtp.relay-networks. */
    private static final String OUTSIDER = "frank@outside.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LaunchedServer server;
    private AdminClient admin;
    private byte[] serverKey;
    private JsonObject carol;
    private Path work;

    @BeforeAll
    void startServer() throws Exception {
        server = servers.newServer("client-server", "127.0.0.1", CMTP_PORT, DOMAIN, ADMIN_PASSWORD)
                // nobody may relay here: mail for another domain is refused, as for any outsider
                .with("CMTP_RELAY_NETWORKS", "192.0.2.0/32");
        work = LaunchedServer.freshDataDir("client-work");
        Files.createDirectories(work);
        servers.start(server);
        admin = server.admin();
        serverKey = server.serverKey();
        carol = admin.createAccount("carol", CAROL_PASSWORD);
    }

    @Test
    void theCommandLineClientFetchesKeysLogsInSendsAndOpens() throws Exception {
        Run keyRequest = cli(Map.of(), "keyrequest", "carol@" + DOMAIN);
        assertEquals(0, keyRequest.exit(), keyRequest.toString());
        assertEquals(carol.getString("publicKey"), keyRequest.out().trim());

        Path keys = work.resolve("carol.cmtpkey");
        Run login = cli(Map.of("CMTP_PASSWORD", CAROL_PASSWORD), "login", "carol", "--out", keys.toString());
        assertEquals(0, login.exit(), login.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));

        Run wrongPassword = cli(Map.of("CMTP_PASSWORD", "not it"), "login", "carol", "--out",
                work.resolve("other.cmtpkey").toString());
        assertEquals(2, wrongPassword.exit(), wrongPassword.toString());
        assertEquals("cmtp: login carol: wrong password", wrongPassword.err().trim());

        Path notes = Files.writeString(work.resolve("notes.txt"), "first line\nsecond line\n");
        Path picture = Files.write(work.resolve("picture.bin"), new byte[] {0, 1, 2, (byte) 0xFF});
        int before = messages("carol").size();
        // from outside cmtp.relay-networks: a sender of another domain (our own is refused, PROTOCOL.md §7)
        Run send = cli(Map.of(), "send", "--from", OUTSIDER, "--to", "carol@" + DOMAIN,
                "--subject", "Zeugnis für Carol", "--text", "Hello Carol,\nall sealed.\n",
                "--attach", notes.toString(), picture.toString());
        assertEquals(0, send.exit(), send.toString());
        assertTrue(send.out().matches("SUCCESS carol@" + Pattern.quote(DOMAIN) + " \\p{XDigit}{128}\n"), send.out());

        JsonArray messages = messages("carol");
        assertEquals(before + 1, messages.size());
        byte[] stored = admin.getBytes("/api/accounts/carol/messages/" + messages.getJsonObject(0).getJsonNumber("id")
                + "/raw");
        Path raw = Files.write(work.resolve("stored.cmtp"), stored);
        Run open = cli(Map.of(), "open", "--keys", keys.toString(), raw.toString());
        assertEquals(0, open.exit(), open.toString());
        String shown = open.out();
        assertTrue(shown.contains("From: " + OUTSIDER + "\n"), shown);
        assertTrue(shown.contains("To: carol@" + DOMAIN + "\n"), shown);
        assertTrue(shown.contains("Reply-To: " + OUTSIDER + "\n"), shown);
        assertTrue(shown.contains("Subject: Zeugnis für Carol\n"), shown);
        assertTrue(shown.matches("(?s).*Date: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n.*"), shown);
        assertTrue(shown.contains("CC: \n"), shown);
        assertTrue(shown.contains("Attachment: notes.txt (23 bytes)\nAttachment: picture.bin (4 bytes)\n"), shown);
        assertTrue(shown.endsWith("\nHello Carol,\nall sealed.\n"), shown);

        String hash = send.out().trim().split(" ")[2];
        byte[] sentMessage = withoutLastLogLine(stored);
        assertEquals(hash, HexFormat.of().formatHex(Libsodium.genericHash(64, sentMessage)),
                "the receipt names the message as sent, before the server's log line");

        Run unknown = cli(Map.of(), "keyrequest", "nobody@" + DOMAIN);
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("KEYNOTAVAILABLE"), unknown.toString());
        Run badPin = cli(Map.of(), "--server-key", "00".repeat(32), "keyrequest", "carol@" + DOMAIN);
        assertEquals(2, badPin.exit());
        assertTrue(badPin.err().contains("not the one given with --server-key"), badPin.toString());
    }

    @Test
    void theClientApiVerifiesEverySignedReply() throws Exception {
        InetSocketAddress address = new InetSocketAddress(server.host(), server.cmtpPort());
        MailAddress carolAddress = new MailAddress("carol", DOMAIN);
        try (CmtpClient client = CmtpClient.connect(address, TIMEOUT, TIMEOUT)) {
            assertEquals("Welcome to CMTP version 1", client.banner());
            assertArrayEquals(serverKey, client.serverKey());
            assertTrue(client.ohai().contains("POW 0"));
            assertEquals(26214400L, client.maxMessageSize().getAsLong());
            assertArrayEquals(HexFormat.of().parseHex(carol.getString("publicKey")),
                    client.keyRequest(carolAddress, serverKey).orElseThrow());
            assertEquals(Optional.empty(), client.keyRequest("nobody", DOMAIN, serverKey), "KEYNOTAVAILABLE");
            assertArrayEquals(HexFormat.of().parseHex(carol.getString("publicKey")),
                    client.login("carol", serverKey).open(CAROL_PASSWORD.toCharArray()).publicKey());
            assertThrows(NoSuchAccountException.class, () -> client.login("nobody", serverKey));

            List<Receipt> receipts = new MailSender(client, serverKey, Clock.systemUTC()).send(
                    OutgoingMail.from(MailAddress.parse(OUTSIDER)).to(carolAddress, new MailAddress("nobody", DOMAIN))
                            .subject("API").text("sent through MailSender").build());
            assertEquals(2, receipts.size());
            Receipt receipt = receipts.get(0);
            assertEquals(StatusWord.SUCCESS, receipt.status());
            assertTrue(receipt.verify(serverKey));
            assertTrue(Libsodium.verifyDetached(receipt.signature(),
                    SignedStatus.bytesToSign(StatusWord.SUCCESS, receipt.messageHash()), serverKey),
                    "libsodium agrees the receipt is the server's signature over the message hash");
            assertEquals(StatusWord.KEYNOTAVAILABLE, receipts.get(1).status());

            byte[] foreign = new Message(Message.PLAINTEXT, new MailAddress("dave", "elsewhere.test"),
                    MailAddress.parse(OUTSIDER),
                    "", new byte[10], List.of()).encode();
            SignedStatus refused = client.mail(foreign, ProofOfWork.none(), serverKey);
            assertEquals(StatusWord.DELIVERYFAILURE, refused.word(), "no open relay, and the refusal is signed");
            client.quit();
        }

        byte[] wrongKey = org.cmtp.crypto.Ed25519KeyPair.generate(new java.security.SecureRandom()).publicKey();
        try (CmtpClient client = CmtpClient.connect(address, TIMEOUT, TIMEOUT)) {
            assertThrows(InvalidSignatureException.class, () -> client.keyRequest(carolAddress, wrongKey));
            assertTrue(client.isBroken(), "a server that cannot be authenticated is not talked to again");
        }
        try (CmtpClient client = CmtpClient.connect(address, TIMEOUT, TIMEOUT)) {
            byte[] raw = new Message(Message.PLAINTEXT, carolAddress, carolAddress, "", new byte[10], List.of())
                    .encode();
            ReceiptInvalidException e = assertThrows(ReceiptInvalidException.class,
                    () -> client.mail(raw, ProofOfWork.none(), wrongKey));
            assertTrue(e.getMessage().startsWith("127.0.0.1:" + CMTP_PORT + " MAIL: "), e.getMessage());
        }
    }

    @Test
    void benchPrintsItsSummary() throws Exception {
        int before = messages("carol").size();
        Run bench = cli(Map.of(), "bench", "--connections", "2", "--messages", "20", "--size", "2048",
                "--warm-up", "6", "--to", "carol@" + DOMAIN);
        assertEquals(0, bench.exit(), bench.toString());
        assertEquals(before + 26, messages("carol").size(), "the warm-up's messages are sent, the summary counts the rest");
        Matcher summary = Pattern.compile("bench: 20 messages of (\\d+) bytes over 2 connections in [\\d.]+ s: "
                + "[\\d.]+ messages/s, [\\d.]+ MB/s, latency p50 [\\d.]+ ms, p90 [\\d.]+ ms, p99 [\\d.]+ ms, SUCCESS 20\n")
                .matcher(bench.out());
        assertTrue(summary.matches(), bench.toString());
        assertEquals(2048, Integer.parseInt(summary.group(1)));
    }

    @Test
    void theOutboundConnectionFactoryIsBoundForApplications() throws Exception {
        assertTrue(server.log().contains("CMTP outbound connection factory bound at java:app/cmtp/ConnectionFactory: "
                + "CmtpConnectionFactory[127.0.0.1:" + CMTP_PORT + "]"), "the start-up lookup succeeded");
        assertFalse(server.log().contains("java:app/cmtp/ConnectionFactory is not available"));
    }

    private JsonArray messages(String account) throws IOException {
        return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray();
    }

    /** The stored message without the line the server appended to its log: the bytes the client sent. */
    private static byte[] withoutLastLogLine(byte[] stored) throws Exception {
        Message message = Message.decode(stored);
        String log = message.log();
        String earlier = log.substring(0, log.lastIndexOf('\n', log.length() - 2) + 1);
        return new Message(message.version(), message.destination(), message.source(), earlier, message.body(),
                message.attachments()).encode();
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "stderr:\n" + err;
        }
    }

    /** Runs the {@code cmtp} command's shaded jar against the server under test. */
    private Run cli(Map<String, String> environment, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("it.micro.dir", "target/micro"), "cmtp-cli.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server", server.host() + ":" + server.cmtpPort(), "--timeout", "60"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().remove("CMTP_PASSWORD");
        // what the CLI remembers of servers (KEYBIND) stays in this test's directory, not the user's
        builder.environment().put("CMTP_CONFIG_DIR", work.resolve("config").toString());
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cmtp " + String.join(" ", args) + " did not finish within 180 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
