package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.it.support.Directories;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cmtp bridge} (issue #17) driven by mail programs no one here wrote: Python's
 * smtplib, imaplib and email, and curl, against two bridges (alice and bob) on one launched
 * server. Loopback addresses 127.0.0.110–119; every port chosen per run ({@link FreePorts}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeIT {

    private static final String DOMAIN = "bridge.test";
    private static final String HOST = "127.0.0.110";
    private static final String ADMIN_PASSWORD = "bridge-admin-password";
    private static final String ALICE_PASSWORD = "alice-password-1234";
    private static final String BOB_PASSWORD = "bob-password-123456";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Ports of this run (FreePorts); the server's CMTP and HTTPS ports are its own (LaunchedServers). */
    private static final int PLAIN_HTTP_PORT = FreePorts.take();
    private static final int RECORDER_PORT = FreePorts.take();
    private static final int GATEWAY_PORT = FreePorts.take();
    private static final int ALICE_IMAP = FreePorts.take();
    private static final int ALICE_SMTP = FreePorts.take();
    /** Bob's bridge keeps its ports across its restart. */
    private static final int BOB_IMAP = FreePorts.take();
    private static final int BOB_SMTP = FreePorts.take();
    private static final int RECORDED_IMAP = FreePorts.take();
    private static final int RECORDED_SMTP = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private LaunchedServer server;
    /** Between a bridge and the server's plain HTTP port: shows the session token the bridge uses. */
    private org.cmtp.it.support.RecordingProxy recorder;
    private BridgeProcess alice;
    private BridgeProcess bob;

    /** A running {@code cmtp bridge} and what it printed. */
    static final class BridgeProcess implements AutoCloseable {
        final Process process;
        final StringBuffer out = new StringBuffer();
        final StringBuffer err = new StringBuffer();
        final String address;
        private final List<Thread> pumps = new ArrayList<>();
        String password;
        int imapPort;
        int smtpPort;

        BridgeProcess(LaunchedServer server, String address, String password, Path config, String bind, int imap,
                      int smtp) throws Exception {
            this(server, server.http(), address, password, config, bind, imap, smtp);
        }

        /** @param api the user API the bridge uses: the server's, or a recording proxy in front of it */
        BridgeProcess(LaunchedServer server, java.net.URI api, String address, String password, Path config,
                      String bind, int imap, int smtp) throws Exception {
            this.address = address;
            Path jar = Path.of(System.getProperty("it.micro.dir", "target/micro"), "cmtp-cli.jar");
            // started as from a terminal: a program started in the background (as Maven may be
            // here) inherits SIGINT ignored, and the JVM then never sees Ctrl-C; the wrapper
            // sets it back to its default and becomes the bridge (exec: the same process id)
            ProcessBuilder builder = new ProcessBuilder("python3", "-c", "import os, signal, sys;"
                    + " signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "--server", server.host() + ":" + server.cmtpPort(), "--api",
                    api.toString(), "bridge", address, "--imap-port", Integer.toString(imap), "--smtp-port",
                    Integer.toString(smtp), "--bind", bind);
            builder.environment().put("CMTP_PASSWORD", password);
            builder.environment().put("CMTP_CONFIG_DIR", config.toString());
            process = builder.start();
            pumps.add(pump(process.getInputStream(), out));
            pumps.add(pump(process.getErrorStream(), err));
            Await.until(() -> out.toString().contains("bridge password ") || !process.isAlive(), WAIT,
                    "the bridge of " + address + " prints its password");
            assertTrue(process.isAlive(), "bridge of " + address + " stopped: " + out + err);
            this.password = find("bridge password (\\S+)");
            imapPort = Integer.parseInt(find("IMAP [^:]+:(\\d+)"));
            smtpPort = Integer.parseInt(find("SMTP [^:]+:(\\d+)"));
        }

        private String find(String regex) {
            Matcher matcher = Pattern.compile(regex).matcher(out);
            assertTrue(matcher.find(), regex + " in " + out);
            return matcher.group(1);
        }

        private static Thread pump(java.io.InputStream in, StringBuffer into) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        into.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        /**
         * Sends the bridge a signal ({@code INT}: Ctrl-C, {@code TERM}: what {@code kill} and
         * service managers send) and waits for it to end.
         *
         * @return its exit code
         */
        int stop(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the bridge of " + address + " did not stop on SIG" + signal + ":\n" + out
                        + err);
            }
            for (Thread pump : pumps) {
                pump.join(5000); // its last lines, e.g. the revoked session
            }
            return process.exitValue();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                stop("TERM"); // the shutdown hook revokes the session
            }
        }
    }

    @BeforeAll
    void start() throws Exception {
        server = servers.newServer("bridge", HOST, FreePorts.take(), DOMAIN, ADMIN_PASSWORD)
                .with("CMTP_MAX_MESSAGE_SIZE", "2097152")
                .with("CMTP_PLAIN_HTTP_PORT", Integer.toString(PLAIN_HTTP_PORT))
                .with("CMTP_SMTP_GATEWAY", "true")
                .with("CMTP_SMTP_GATEWAY_BIND", HOST)
                .with("CMTP_SMTP_GATEWAY_PORT", Integer.toString(GATEWAY_PORT));
        servers.start(server);
        AdminClient admin = server.admin();
        admin.createAccount("alice", ALICE_PASSWORD);
        admin.createAccount("bob", BOB_PASSWORD);
        Path configs = Files.createDirectories(Path.of("target", "bridge-config"));
        alice = new BridgeProcess(server, "alice@" + DOMAIN, ALICE_PASSWORD, fresh(configs.resolve("alice")), HOST,
                ALICE_IMAP, ALICE_SMTP);
        bob = new BridgeProcess(server, "bob@" + DOMAIN, BOB_PASSWORD, fresh(configs.resolve("bob")), HOST, BOB_IMAP, BOB_SMTP);
    }

    static Path fresh(Path directory) throws IOException {
        Directories.delete(directory);
        return Files.createDirectories(directory);
    }

    /** The bridges and the proxy (made and replaced across tests), before the extension closes the server. */
    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {recorded, recorder, alice, bob}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (alice != null) {
            System.out.println("alice's bridge:\n" + alice.out + alice.err);
            System.out.println("bob's bridge:\n" + bob.out + bob.err);
        }
    }

    static String run(Duration timeout, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        StringBuffer output = new StringBuffer();
        Thread pump = BridgeProcess.pump(process.getInputStream(), output);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish:\n" + output);
        }
        process.waitFor();
        pump.join(5000); // the pump's last line: it ends at the end of the output (bounded: a daemon may keep the pipe)
        String text = output.toString();
        System.out.println("$ " + String.join(" ", command) + "\n" + text);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + text);
        return text;
    }

    @Test
    @Order(1)
    void pythonSmtplibImaplibAndEmail() throws Exception {
        String output = run(Duration.ofMinutes(5), "python3", "src/test/python/bridge_mail.py", HOST,
                Integer.toString(alice.smtpPort), alice.password, Integer.toString(bob.imapPort), bob.password,
                alice.address, bob.address);
        assertTrue(output.contains("python: all checks passed"), output);
    }

    @Test
    @Order(2)
    void curlSendsAndFetches() throws Exception {
        Path message = Files.createTempFile("bridge-curl", ".eml");
        Files.writeString(message, "From: " + alice.address + "\r\nTo: " + bob.address + "\r\nSubject: sent by curl\r\n"
                + "\r\nHello from curl.\r\n");
        run(Duration.ofMinutes(2), "curl", "-sS", "--fail", "smtp://" + HOST + ":" + alice.smtpPort, "--mail-from",
                alice.address, "--mail-rcpt", bob.address, "--upload-file", message.toString(), "--user",
                alice.address + ":" + alice.password);
        String bobImap = "imap://" + HOST + ":" + bob.imapPort + "/INBOX";
        String user = bob.address + ":" + bob.password;
        Await.until(() -> {
            try {
                return run(Duration.ofMinutes(1), "curl", "-sS", "--fail", bobImap, "-X", "SEARCH SUBJECT curl",
                        "--user", user).matches("(?s).*SEARCH \\d+.*");
            } catch (Exception | AssertionError e) {
                return false;
            }
        }, WAIT, "curl finds the message");
        String search = run(Duration.ofMinutes(1), "curl", "-sS", "--fail", bobImap, "-X", "UID SEARCH SUBJECT curl",
                "--user", user);
        Matcher uid = Pattern.compile("SEARCH (\\d+)").matcher(search);
        assertTrue(uid.find(), search);
        String fetched = run(Duration.ofMinutes(1), "curl", "-sS", "--fail", bobImap + ";UID=" + uid.group(1),
                "--user", user);
        assertTrue(fetched.contains("Subject: sent by curl") && fetched.contains("Hello from curl."), fetched);
        // a recipient without a key: curl reports the 550 and nothing is sent
        Process refused = new ProcessBuilder("curl", "-sS", "smtp://" + HOST + ":" + alice.smtpPort, "--mail-from",
                alice.address, "--mail-rcpt", "nobody@" + DOMAIN, "--upload-file", message.toString(), "--user",
                alice.address + ":" + alice.password).redirectErrorStream(true).start();
        String refusal = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
        System.out.println("curl to an address without a key: " + refusal);
        assertTrue(refused.exitValue() != 0 && refusal.contains("550"), refusal);
        // alice's Sent holds what she sent through the bridge
        String sent = run(Duration.ofMinutes(1), "curl", "-sS", "--fail", "imap://" + HOST + ":" + alice.imapPort
                + "/Sent", "-X", "SEARCH SUBJECT curl", "--user", alice.address + ":" + alice.password);
        assertTrue(sent.matches("(?s).*SEARCH \\d+.*"), sent);
    }

    @Test
    @Order(3)
    void tooLargeRefusedAtDataWithTheLimit() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("From: " + alice.address);
        lines.add("To: " + bob.address);
        lines.add("Subject: too big");
        lines.add("");
        String filler = "x".repeat(998);
        for (int i = 0; i < 2300; i++) {
            lines.add(filler);
        }
        Path message = Files.createTempFile("bridge-big", ".eml");
        Files.write(message, lines);
        Process process = new ProcessBuilder("curl", "-sS", "-v", "smtp://" + HOST + ":" + alice.smtpPort, "--mail-from",
                alice.address, "--mail-rcpt", bob.address, "--upload-file", message.toString(), "--user",
                alice.address + ":" + alice.password).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        // the server's reply line ("< 552 ..." in curl -v), not any line with 552 in it: the
        // temporary file's random name, echoed in EHLO, may contain those digits too
        String refusal = output.lines().filter(l -> l.startsWith("< 552")).findFirst().orElse(output);
        System.out.println("oversize: " + refusal);
        assertTrue(refusal.contains("552") && refusal.contains("2097152"), refusal);
    }

    @Test
    @Order(4)
    void neomuttInTmuxReadsTheInbox() throws Exception {
        Path message = Files.createTempFile("bridge-neomutt", ".eml");
        Files.writeString(message, "From: " + alice.address + "\r\nTo: " + bob.address
                + "\r\nSubject: for neomutt\r\n\r\nRead me in neomutt, through the bridge.\r\n");
        run(Duration.ofMinutes(2), "curl", "-sS", "--fail", "smtp://" + HOST + ":" + alice.smtpPort, "--mail-from",
                alice.address, "--mail-rcpt", bob.address, "--upload-file", message.toString(), "--user",
                alice.address + ":" + alice.password);
        Path muttrc = Files.createTempFile("bridge-neomutt", ".rc");
        Files.writeString(muttrc, String.join("\n",
                "set folder=\"imap://" + HOST + ":" + bob.imapPort + "/\"",
                "set spoolfile=\"+INBOX\"",
                "set imap_user=\"" + bob.address + "\"",
                "set imap_pass=\"" + bob.password + "\"",
                "set ssl_starttls=no", "set ssl_force_tls=no", "set record=\"\"", "set header_cache=\"\"",
                "set message_cachedir=\"\"", "set mail_check=5", "set sort=date", "set pager_stop=yes",
                "set wait_key=no", "set charset=utf-8", ""));
        String socket = "cmtp-bridge-it";
        String session = "bridge-neomutt";
        List<String> tmux = List.of("tmux", "-L", socket);
        run(Duration.ofSeconds(30), concat(tmux, "new-session", "-d", "-s", session, "-x", "140", "-y", "40",
                "TERM=xterm-256color LANG=C.UTF-8 neomutt -n -F " + muttrc));
        try {
            String[] screen = {""};
            Await.until(() -> {
                screen[0] = capture(tmux, session);
                return screen[0].contains("for neomutt");
            }, WAIT, "neomutt lists the subject");
            System.out.println("neomutt's index through the bridge:\n" + screen[0]);
            run(Duration.ofSeconds(30), concat(tmux, "send-keys", "-t", session, "l"));
            Await.until(() -> capture(tmux, session).contains("Limit to messages matching:"), WAIT,
                    "neomutt's limit prompt");
            run(Duration.ofSeconds(30), concat(tmux, "send-keys", "-t", session, "~s neomutt", "Enter"));
            Await.until(() -> {
                String limited = capture(tmux, session);
                return limited.contains("for neomutt") && !limited.contains("Second one");
            }, WAIT, "the limit applies: only the message for neomutt listed");
            run(Duration.ofSeconds(30), concat(tmux, "send-keys", "-t", session, "Enter"));
            Await.until(() -> {
                screen[0] = capture(tmux, session);
                return screen[0].contains("Read me in neomutt, through the bridge.");
            }, WAIT, "neomutt shows the text");
            System.out.println("neomutt reading the message through the bridge:\n" + screen[0]);
        } finally {
            System.out.println("neomutt's last screen:\n" + capture(tmux, session));
            new ProcessBuilder(concat(tmux, "kill-session", "-t", session)).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static final String UIDS = String.join("\n",
            "import imaplib, sys",
            "imap = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]))",
            "imap.login(sys.argv[3], sys.argv[4])",
            "print(imap.status('INBOX', '(UIDVALIDITY UIDNEXT MESSAGES)')[1][0].decode())",
            "imap.select('INBOX', readonly=True)",
            "print('uids', imap.uid('SEARCH', None, 'ALL')[1][0].decode())",
            "imap.logout()");

    @Test
    @Order(5)
    void uidsAndUidValiditySurviveARestartOfTheBridge() throws Exception {
        String before = run(Duration.ofMinutes(1), "python3", "-c", UIDS, HOST, Integer.toString(bob.imapPort),
                bob.address, bob.password);
        Path config = Path.of("target", "bridge-config", "bob");
        assertEquals(143, bob.stop("TERM"), "SIGTERM: 128 + 15, after the shutdown hook\n" + bob.err);
        assertTrue(bob.err.toString().contains("cmtp bridge: stopped; session revoked"), bob.err.toString());
        bob = new BridgeProcess(server, "bob@" + DOMAIN, BOB_PASSWORD, config, HOST, BOB_IMAP, BOB_SMTP);
        String after = run(Duration.ofMinutes(1), "python3", "-c", UIDS, HOST, Integer.toString(bob.imapPort),
                bob.address, bob.password);
        assertTrue(before.contains("UIDVALIDITY") && before.matches("(?s).*uids \\d.*"), before);
        assertEquals(before.strip(), after.strip(), "the same UIDVALIDITY, UIDNEXT and UIDs after a restart");
    }

    @Test
    @Order(6)
    void wrongBridgePasswordsAreRateLimited() throws Exception {
        String script = String.join("\n",
                "import imaplib, sys",
                "for i in range(5):",
                "    imap = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]))",
                "    try:",
                "        imap.login(sys.argv[3], 'wrong-%d' % i)",
                "        raise SystemExit('a wrong password was accepted')",
                "    except imaplib.IMAP4.error as e:",
                "        print('wrong', i, e)",
                "imap = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]))",
                "try:",
                "    imap.login(sys.argv[3], sys.argv[4])",
                "    raise SystemExit('the right password was checked while locked')",
                "except imaplib.IMAP4.error as e:",
                "    print('locked', e)");
        String output = run(Duration.ofMinutes(2), "python3", "-c", script, HOST, Integer.toString(alice.imapPort),
                alice.address, alice.password);
        assertTrue(output.contains("wrong 4") && output.contains("AUTHENTICATIONFAILED"), output);
        assertTrue(output.contains("locked") && output.contains("too many wrong bridge passwords"), output);
    }

    /** The first message of {@code who}'s INBOX whose subject contains {@code words}, as curl fetches it. */
    private static String fetchBySubject(BridgeProcess who, String words) throws Exception {
        String inbox = "imap://" + HOST + ":" + who.imapPort + "/INBOX";
        String user = who.address + ":" + who.password;
        String[] search = {""};
        Await.until(() -> {
            try {
                search[0] = run(Duration.ofMinutes(1), "curl", "-sS", "--fail", inbox, "-X", "UID SEARCH SUBJECT \""
                        + words + "\"", "--user", user);
                return search[0].matches("(?s).*SEARCH \\d+.*");
            } catch (Exception | AssertionError e) {
                return false;
            }
        }, WAIT, who.address + "'s bridge finds '" + words + "'");
        Matcher uid = Pattern.compile("SEARCH (\\d+)").matcher(search[0]);
        assertTrue(uid.find(), search[0]);
        return run(Duration.ofMinutes(1), "curl", "-sS", "--fail", inbox + ";UID=" + uid.group(1), "--user", user);
    }

    @Test
    @Order(7)
    void mailThatArrivedBySmtpIsMarkedSoMailProgramsShowIt() throws Exception {
        Path message = Files.createTempFile("bridge-gateway", ".eml");
        Files.writeString(message, "From: carol@smtp-only.test\r\nTo: " + bob.address
                + "\r\nSubject: written in the clear\r\n\r\nHello from the SMTP world.\r\n");
        // straight to the server's SMTP gateway, as the domain's MTA would hand it over
        run(Duration.ofMinutes(2), "curl", "-sS", "--fail", "smtp://" + HOST + ":" + GATEWAY_PORT, "--mail-from",
                "carol@smtp-only.test", "--mail-rcpt", bob.address, "--upload-file", message.toString());
        String viaSmtp = fetchBySubject(bob, "written in the clear");
        assertTrue(viaSmtp.contains("X-CMTP-Arrived-By: SMTP (encrypted on arrival, not end to end)"), viaSmtp);
        assertTrue(viaSmtp.contains("[cmtp: this message arrived by SMTP, encrypted on arrival, not end to end"),
                "a first line of text says so too:\n" + viaSmtp);
        assertTrue(viaSmtp.contains("Hello from the SMTP world."), viaSmtp);
        String endToEnd = fetchBySubject(bob, "sent by curl");
        assertTrue(endToEnd.contains("Hello from curl.") && !endToEnd.contains("X-CMTP-Arrived-By")
                && !endToEnd.contains("[cmtp: this message"), "mail sealed by its sender is not marked:\n" + endToEnd);
    }

    /** bob's third bridge, whose user API requests go through {@link #recorder}; its session token. */
    private BridgeProcess recorded;
    private String recordedToken;

    private void startRecordedBridge() throws Exception {
        if (recorded != null) {
            return;
        }
        recorder = new org.cmtp.it.support.RecordingProxy(new java.net.InetSocketAddress(HOST, RECORDER_PORT),
                new java.net.InetSocketAddress(HOST, server.plainHttp().getPort()));
        recorded = new BridgeProcess(server, java.net.URI.create("http://" + HOST + ":" + RECORDER_PORT + "/"),
                bob.address, BOB_PASSWORD, fresh(Path.of("target", "bridge-config", "bob-recorded")), HOST,
                RECORDED_IMAP, RECORDED_SMTP);
        Matcher bearer = Pattern.compile("(?i)Authorization: Bearer ([A-Za-z0-9._~+/=-]+)")
                .matcher(new String(recorder.sent(), StandardCharsets.ISO_8859_1));
        assertTrue(bearer.find(), "the bridge's requests carry its token");
        recordedToken = bearer.group(1);
    }

    @Test
    @Order(8)
    void theUserApiGivesSeveralSealedMessagesInOneAnswer() throws Exception {
        startRecordedBridge();
        org.cmtp.it.support.UserApiClient api = new org.cmtp.it.support.UserApiClient(server.http(), recordedToken);
        jakarta.json.JsonArray listed = api.get("/api/user/messages?limit=3").json().asJsonArray();
        assertEquals(3, listed.size(), listed.toString());
        List<Long> ids = new ArrayList<>();
        listed.forEach(m -> ids.add(m.asJsonObject().getJsonNumber("id").longValue()));
        String asked = ids.get(2) + "," + ids.get(0) + ",999999999," + ids.get(1) + "," + ids.get(0);
        org.cmtp.it.support.UserApiClient.Reply batch = api.get("/api/user/messages/raw?ids=" + asked);
        assertEquals(200, batch.status(), batch.toString());
        jakarta.json.JsonObject answer = batch.json().asJsonObject();
        jakarta.json.JsonArray messages = answer.getJsonArray("messages");
        assertEquals(3, messages.size(), "each asked once, in the order asked: " + answer);
        List<Long> order = List.of(ids.get(2), ids.get(0), ids.get(1));
        for (int i = 0; i < 3; i++) {
            jakarta.json.JsonObject message = messages.getJsonObject(i);
            assertEquals(order.get(i), message.getJsonNumber("id").longValue());
            byte[] single = api.get("/api/user/messages/" + order.get(i) + "/raw").bytes();
            org.junit.jupiter.api.Assertions.assertArrayEquals(single,
                    java.util.Base64.getDecoder().decode(message.getString("raw")), "the same stored bytes as /raw");
        }
        assertEquals("[999999999]", answer.getJsonArray("missing").toString());
        assertEquals("[]", answer.getJsonArray("later").toString());
        for (String bad : List.of("", "1,x", "1,,2", "-")) {
            assertEquals(400, api.get("/api/user/messages/raw?ids=" + bad).status(), "ids=" + bad);
        }
        StringBuilder tooMany = new StringBuilder("1");
        for (int i = 2; i <= 101; i++) {
            tooMany.append(',').append(i);
        }
        org.cmtp.it.support.UserApiClient.Reply refused = api.get("/api/user/messages/raw?ids=" + tooMany);
        assertEquals(400, refused.status());
        assertTrue(refused.toString().contains("at most 100"), refused.toString());
        assertEquals(401, new org.cmtp.it.support.UserApiClient(server.http(), null)
                .get("/api/user/messages/raw?ids=" + ids.get(0)).status(), "only with a token");
    }

    @Test
    @Order(9)
    void ctrlCStopsTheBridgeRevokesItsSessionAndClosesItsPorts() throws Exception {
        startRecordedBridge();
        org.cmtp.it.support.UserApiClient api = new org.cmtp.it.support.UserApiClient(server.http(), recordedToken);
        assertEquals(200, api.get("/api/user/messages/usage").status(), "the bridge's token works while it runs");
        int exit = recorded.stop("INT");
        System.out.println("bob's bridge after Ctrl-C (SIGINT), exit code " + exit + ":\n" + recorded.out
                + recorded.err);
        assertEquals(130, exit, "Ctrl-C: 128 + 2, after the shutdown hook");
        assertFalse(recorded.out.toString().contains("Ctrl-C is ignored"), "started as from a terminal");
        String said = recorded.err.toString();
        assertTrue(said.contains("cmtp bridge: stopping") && said.contains("cmtp bridge: stopped; session revoked"),
                said);
        assertEquals(401, api.get("/api/user/messages/usage").status(), "the bridge's token no longer works");
        for (int port : new int[] {recorded.imapPort, recorded.smtpPort}) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(HOST, port), 5000);
                throw new AssertionError("port " + port + " still listens after the bridge stopped");
            } catch (java.net.ConnectException expected) {
                // nothing listens
            }
        }
    }

    private static String capture(List<String> tmux, String session) {
        try {
            Process process = new ProcessBuilder(concat(tmux, "capture-pane", "-p", "-t", session))
                    .redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String[] concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }
}
