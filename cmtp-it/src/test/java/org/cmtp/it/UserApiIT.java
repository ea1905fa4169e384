package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.client.Receipt;
import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.CommandLineClient;
import org.cmtp.it.support.CommandLineClient.Run;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PostgresDatabases;
import org.cmtp.it.support.UserApiClient;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Account holders read and send their own mail through the user API, on two instances of
 * users.test sharing one PostgreSQL database, and far.test beside them on H2, all on
 * 127.0.0.1 with ports chosen per run ({@link FreePorts}). The client side here is
 * written from README "Users" with libsodium, not with our
 * client code: it opens the xzibit, signs the challenge and checks the server's signatures.
 * Nobody may relay through these servers (cmtp.relay-networks names no real client), so mail
 * for another domain gets through only by authenticated submission.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserApiIT {

    private static final String DOMAIN = "users.test";
    private static final String ADMIN_PASSWORD = "users-admin-password";
    private static final String ALICE_PASSWORD = "alice-password-1234";
    private static final String BOB_PASSWORD = "bob-password-123456";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private LaunchedServer first;
    private LaunchedServer second;
    /** far.test, another domain, routed to from users.test. */
    private LaunchedServer far;
    private AdminClient admin;
    private byte[] serverKey;

    @BeforeAll
    void startTwoInstances() throws Exception {
        far = servers.newServer("userapi-far", "far.test", ADMIN_PASSWORD);
        String database = PostgresDatabases.recreate(PostgresDatabases.name("userapi"));
        // a plain HTTP port besides HTTPS, so that the recording proxy of the CLI test below
        // sees the very bytes the CLI sends, not ciphertext that would hide a leaked secret
        first = instance("userapi-1", database).with("CMTP_PLAIN_HTTP_PORT", Integer.toString(FreePorts.take()));
        second = instance("userapi-2", database);
        // far.test beside the first instance; the second after the first has made the shared schema
        servers.start(far, first);
        servers.start(second);
        far.admin().createAccount("zoe", "zoe-password-123456");
        admin = first.admin();
        serverKey = first.serverKey();
        admin.createAccount("alice", ALICE_PASSWORD);
        admin.createAccount("bob", BOB_PASSWORD);
    }

    private LaunchedServer instance(String name, String database) throws Exception {
        return servers.newServer(name, DOMAIN, ADMIN_PASSWORD)
                .with("CMTP_DB_URL", database)
                .with("CMTP_DB_USER", PostgresDatabases.user())
                .with("CMTP_RELAY_NETWORKS", "192.0.2.0/32")
                .with("CMTP_MAX_MESSAGE_SIZE", "1048576")
                .with("CMTP_ROUTES", "far.test=" + far.host() + ":" + far.cmtpPort())
                .with("CMTP_RETRY_INITIAL", "3600")
                // every test signs in from 127.0.0.1, many times; signInIsRateLimited sets its own server
                .with("CMTP_SIGNIN_RATE", "1000");
    }

    // ---- the client, from README "Users", with libsodium --------------------------------

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Fetches the xzibit, checks the server's signature and opens it: the account's secret key (64 bytes). */
    private byte[] openXzibit(UserApiClient api, String account, String password) throws Exception {
        UserApiClient.Reply reply = api.get("/api/user/xzibit/" + account);
        assertEquals(200, reply.status(), reply.toString());
        byte[] xzibit = Arrays.copyOf(reply.bytes(), reply.bytes().length - 64);
        byte[] signature = Arrays.copyOfRange(reply.bytes(), xzibit.length, reply.bytes().length);
        assertTrue(Libsodium.verifyDetached(signature, xzibit, serverKey), "the xzibit is signed by the server");
        ByteBuffer in = ByteBuffer.wrap(xzibit);
        assertEquals(1, in.getInt());
        byte[] salt = new byte[32];
        in.get(salt);
        byte[] ciphertext = new byte[(int) in.getLong()];
        in.get(ciphertext);
        byte[] key = Libsodium.scryptInteractive(utf8(password), salt);
        byte[] opened = Libsodium.aeadChaCha20Poly1305Decrypt(ciphertext, Arrays.copyOf(salt, 8), key);
        return Arrays.copyOfRange(opened, 32, 96);
    }

    /** README "Users": "CMTP-SIGNIN-1" ‖ \0 ‖ domain ‖ \0 ‖ account ‖ \0 ‖ server key ‖ challenge ‖ u64 expiry. */
    private static byte[] statement(String domain, String account, byte[] serverKey, byte[] challenge, long expires) {
        return MailBytes.concat(utf8("CMTP-SIGNIN-1\0" + domain + "\0" + account + "\0"), serverKey, challenge,
                ByteBuffer.allocate(8).putLong(expires).array());
    }

    private JsonObject challenge(UserApiClient api, String address) throws Exception {
        UserApiClient.Reply reply = api.postJson("/api/user/signin/challenge",
                Json.createObjectBuilder().add("address", address).build().toString());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().asJsonObject();
    }

    private UserApiClient.Reply prove(UserApiClient api, String account, JsonObject challenge, byte[] signature) throws Exception {
        return api.postJson("/api/user/signin", Json.createObjectBuilder().add("account", account)
                .add("challenge", challenge.getString("challenge"))
                .add("signature", HexFormat.of().formatHex(signature)).build().toString());
    }

    private byte[] sign(JsonObject challenge, String domain, byte[] secretKey) {
        byte[] statement = statement(domain, challenge.getString("account"), serverKey,
                Base64.getUrlDecoder().decode(challenge.getString("challenge")), challenge.getJsonNumber("expiresEpochSecond").longValue());
        return Libsodium.signDetached(statement, secretKey);
    }

    /** Signs in by proof of key, as README "Users" describes; returns a client holding the token. */
    private UserApiClient signIn(LaunchedServer server, String account, String password) throws Exception {
        UserApiClient anonymous = new UserApiClient(server.http(), null);
        byte[] secretKey = openXzibit(anonymous, account, password);
        JsonObject challenge = challenge(anonymous, account + "@" + DOMAIN);
        assertEquals(HexFormat.of().formatHex(serverKey), challenge.getString("serverKey"));
        UserApiClient.Reply session = prove(anonymous, account, challenge, sign(challenge, DOMAIN, secretKey));
        assertEquals(200, session.status(), session.toString());
        return anonymous.withToken(session.json().asJsonObject().getString("token"));
    }

    private List<Receipt> sendOverCmtp(String to, String subject, Attachment... attachments) throws Exception {
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(first.host(), first.cmtpPort()), TIMEOUT, TIMEOUT)) {
            byte[] key = client.serverKey();
            return new MailSender(client, key, Clock.systemUTC()).send(OutgoingMail.from(new MailAddress("carol", "elsewhere.test"))
                    .to(new MailAddress(to, DOMAIN)).subject(subject).text("text of " + subject).attach(attachments).build());
        }
    }

    private static Ed25519KeyPair keys(byte[] secretKey) {
        return Ed25519KeyPair.fromSecretKey(secretKey);
    }

    // ---- the tests ------------------------------------------------------------------------

    @Test
    void aUserSignsInByProofOfKeyListsReadsMarksAndDeletes() throws Exception {
        admin.createAccount("erin", "erin-password-12345");
        UserApiClient alice = signIn(first, "erin", "erin-password-12345");
        byte[] secretKey = openXzibit(new UserApiClient(first.http(), null), "erin", "erin-password-12345");
        byte[] picture = {0, 1, 2, (byte) 0xFF, 7};
        assertEquals(StatusWord.SUCCESS, sendOverCmtp("erin", "first", new Attachment("picture.bin", picture)).get(0).status());
        assertEquals(StatusWord.SUCCESS, sendOverCmtp("erin", "second").get(0).status());

        UserApiClient.Reply list = alice.get("/api/user/messages?limit=1");
        assertEquals(200, list.status(), list.toString());
        assertEquals("2", list.totalCount());
        JsonArray page = list.json().asJsonArray();
        assertEquals(1, page.size(), "paged");
        JsonObject newest = page.getJsonObject(0);
        assertEquals("carol@elsewhere.test", newest.getString("sender"));
        assertFalse(newest.getBoolean("read"));
        assertEquals(0, newest.getInt("attachments"));
        UserApiClient.Reply badPage = alice.get("/api/user/messages?limit=many");
        assertEquals(400, badPage.status(), badPage.toString());
        assertTrue(badPage.contentType().startsWith("application/problem+json"), badPage.toString());
        assertEquals("limit", badPage.json().asJsonObject().getString("field"), badPage.toString());
        assertEquals("limit must be a whole number from 1 to 500, not 'many'",
                badPage.json().asJsonObject().getString("detail"));
        JsonObject older = alice.get("/api/user/messages?offset=1&limit=1").json().asJsonArray().getJsonObject(0);
        assertEquals(1, older.getInt("attachments"));
        long id = older.getJsonNumber("id").longValue();
        assertEquals(picture.length + 48 + 255, older.getJsonArray("attachmentSizes").getJsonNumber(0).longValue(),
                "a sealed attachment: name (255) and bytes, plus the box's 48");

        byte[] raw = alice.get("/api/user/messages/" + id + "/raw").bytes();
        assertArrayEquals(admin.getBytes("/api/accounts/erin/messages/" + id + "/raw"), raw, "the exact stored bytes");
        ReceivedMail opened = ReceivedMail.open(raw, keys(secretKey));
        assertEquals("first", opened.body().subject());
        assertArrayEquals(picture, opened.attachments().get(0).data());
        Message message = Message.decode(raw);
        assertArrayEquals(message.body(), alice.get("/api/user/messages/" + id + "/body").bytes(), "only the sealed body");
        assertArrayEquals(message.attachment(0), alice.get("/api/user/messages/" + id + "/attachments/0").bytes());
        assertEquals(404, alice.get("/api/user/messages/" + id + "/attachments/1").status());

        assertEquals(204, alice.patchJson("/api/user/messages/" + id, "{\"read\":true}").status());
        assertTrue(alice.get("/api/user/messages/" + id).json().asJsonObject().getBoolean("read"));
        assertEquals(204, alice.patchJson("/api/user/messages/" + id, "{\"read\":false}").status());
        assertFalse(alice.get("/api/user/messages/" + id).json().asJsonObject().getBoolean("read"));

        assertEquals(204, alice.delete("/api/user/messages/" + id).status());
        assertEquals(404, alice.get("/api/user/messages/" + id + "/raw").status());
        assertEquals("1", alice.get("/api/user/messages").totalCount());
    }

    @Test
    void aListingGetsManySealedBodiesWithoutAttachmentsInOneRequest() throws Exception {
        admin.createAccount("gwen", "gwen-password-123456");
        UserApiClient gwen = signIn(first, "gwen", "gwen-password-123456");
        sendOverCmtp("gwen", "with a picture", new Attachment("picture.bin", new byte[5000]));
        sendOverCmtp("gwen", "plain");
        sendOverCmtp("alice", "alice's, not gwen's");
        List<Long> ids = new java.util.ArrayList<>();
        gwen.get("/api/user/messages").json().asJsonArray()
                .forEach(m -> ids.add(m.asJsonObject().getJsonNumber("id").longValue()));
        assertEquals(2, ids.size());
        long alices = signIn(first, "alice", ALICE_PASSWORD).get("/api/user/messages").json().asJsonArray()
                .getJsonObject(0).getJsonNumber("id").longValue();

        UserApiClient.Reply batch = gwen.get("/api/user/messages/bodies?ids=" + ids.get(1) + "," + alices + ","
                + ids.get(0) + ",999999999," + ids.get(1));
        assertEquals(200, batch.status(), batch.toString());
        JsonObject answer = batch.json().asJsonObject();
        JsonArray messages = answer.getJsonArray("messages");
        assertEquals(2, messages.size(), "each of gwen's asked once, in the order asked: " + answer);
        for (int i = 0; i < 2; i++) {
            JsonObject message = messages.getJsonObject(i);
            long id = ids.get(1 - i);
            assertEquals(id, message.getJsonNumber("id").longValue());
            UserApiClient.Reply single = gwen.get("/api/user/messages/" + id + "/body");
            assertArrayEquals(single.bytes(), java.util.Base64.getDecoder().decode(message.getString("body")),
                    "the same sealed body as /body, without the attachment");
            assertEquals(1, message.getInt("version"), "sealed to gwen's key, as sent");
        }
        assertEquals("[" + alices + ",999999999]", answer.getJsonArray("missing").toString(),
                "another account's message is as missing as one that never was");
        assertEquals("[]", answer.getJsonArray("later").toString());
        for (String bad : List.of("", "1,x", "1,,2", "-")) {
            assertEquals(400, gwen.get("/api/user/messages/bodies?ids=" + bad).status(), "ids=" + bad);
        }
        String tooMany = java.util.stream.LongStream.rangeClosed(1, 101).mapToObj(Long::toString)
                .collect(java.util.stream.Collectors.joining(","));
        UserApiClient.Reply refused = gwen.get("/api/user/messages/bodies?ids=" + tooMany);
        assertEquals(400, refused.status());
        assertTrue(refused.toString().contains("at most 100"), refused.toString());
        assertEquals(401, new UserApiClient(first.http(), null).get("/api/user/messages/bodies?ids=" + ids.get(0))
                .status(), "only with a token");
    }

    @Test
    void twoUsersNeverSeeEachOthersMail() throws Exception {
        sendOverCmtp("alice", "for alice only");
        UserApiClient alice = signIn(first, "alice", ALICE_PASSWORD);
        UserApiClient bob = signIn(first, "bob", BOB_PASSWORD);
        long id = alice.get("/api/user/messages").json().asJsonArray().getJsonObject(0).getJsonNumber("id").longValue();
        for (String path : List.of("", "/raw", "/body", "/attachments/0")) {
            UserApiClient.Reply reply = bob.get("/api/user/messages/" + id + path);
            assertEquals(404, reply.status(), "bob asking for alice's " + path + ": " + reply);
        }
        assertEquals(404, bob.patchJson("/api/user/messages/" + id, "{\"read\":true}").status());
        assertEquals(404, bob.delete("/api/user/messages/" + id).status());
        assertEquals(200, alice.get("/api/user/messages/" + id + "/raw").status(), "still there for alice");
        assertTrue(bob.get("/api/user/messages").json().asJsonArray().stream()
                .noneMatch(m -> m.asJsonObject().getJsonNumber("id").longValue() == id));
    }

    @Test
    void badProofsAndTokensAreRefusedAndChangeNothing() throws Exception {
        UserApiClient anonymous = new UserApiClient(first.http(), null);
        byte[] aliceKey = openXzibit(anonymous, "alice", ALICE_PASSWORD);
        byte[] bobKey = openXzibit(anonymous, "bob", BOB_PASSWORD);

        JsonObject challenge = challenge(anonymous, "alice@" + DOMAIN);
        assertEquals(401, prove(anonymous, "alice", challenge, sign(challenge, DOMAIN, bobKey)).status(), "another key");
        assertEquals(401, prove(anonymous, "alice", challenge, sign(challenge, DOMAIN, aliceKey)).status(),
                "the challenge was used up by the refused proof");

        JsonObject foreign = challenge(anonymous, "alice@" + DOMAIN);
        assertEquals(401, prove(anonymous, "alice", foreign, sign(foreign, "elsewhere.test", aliceKey)).status(),
                "a signature over another domain");
        JsonObject forBob = challenge(anonymous, "bob@" + DOMAIN);
        assertEquals(401, prove(anonymous, "alice", forBob, sign(forBob, DOMAIN, aliceKey)).status(),
                "a challenge issued for another account");

        JsonObject good = challenge(anonymous, "alice@" + DOMAIN);
        byte[] signature = sign(good, DOMAIN, aliceKey);
        assertEquals(200, prove(anonymous, "alice", good, signature).status());
        assertEquals(401, prove(anonymous, "alice", good, signature).status(), "a replayed proof");

        UserApiClient.Reply notOurs = anonymous.postJson("/api/user/signin/challenge", "{\"address\":\"alice@elsewhere.test\"}");
        assertEquals(400, notOurs.status(), notOurs.toString());
        assertEquals(400, anonymous.postJson("/api/user/signin", "{\"account\":\"alice\",\"challenge\":\"!!\",\"signature\":\"zz\"}").status());
        assertEquals(401, anonymous.get("/api/user/messages").status(), "no token");
        assertEquals(401, anonymous.withToken("forged-token").get("/api/user/messages").status());

        UserApiClient alice = signIn(first, "alice", ALICE_PASSWORD);
        assertEquals(400, alice.putBytes("/api/user/xzibit", new byte[] {1, 2, 3}).status(), "a malformed xzibit");
        assertArrayEquals(aliceKey, openXzibit(anonymous, "alice", ALICE_PASSWORD), "the xzibit is unchanged");
    }

    @Test
    void deletedAccountsAndRevokedSessionsStopAtOnceOnEveryInstance() throws Exception {
        admin.createAccount("dave", "dave-password-12345");
        UserApiClient dave = signIn(first, "dave", "dave-password-12345");
        UserApiClient daveOnSecond = new UserApiClient(second.http(), null).withToken(dave.token());
        assertEquals(200, daveOnSecond.get("/api/user/messages").status(), "a session works on the other instance");
        admin.delete("/api/accounts/dave");
        assertEquals(401, dave.get("/api/user/messages").status());
        assertEquals(401, daveOnSecond.get("/api/user/messages").status());
        admin.createAccount("dave", "another-dave-password");
        assertEquals(401, dave.get("/api/user/messages").status(), "a new dave does not inherit the old sessions");

        UserApiClient bob = signIn(second, "bob", BOB_PASSWORD);
        UserApiClient bobOnFirst = new UserApiClient(first.http(), null).withToken(bob.token());
        JsonArray sessions = bobOnFirst.get("/api/user/sessions").json().asJsonArray();
        JsonObject current = sessions.stream().map(v -> v.asJsonObject()).filter(s -> s.getBoolean("current"))
                .findFirst().orElseThrow();
        assertEquals(404, bobOnFirst.delete("/api/user/sessions/00000000000000000000000000000000").status());
        assertEquals(204, bobOnFirst.delete("/api/user/sessions/" + current.getString("id")).status());
        assertEquals(401, bob.get("/api/user/messages").status(), "revoked on one instance, refused on the other");
    }

    @Test
    void submissionWorksFromOutsideTheRelayNetworksOnlyWhenSignedIn() throws Exception {
        UserApiClient bob = signIn(first, "bob", BOB_PASSWORD);
        byte[] farKey = Libsodium.signSeedKeypair(new byte[32])[0];
        Message message = MailSender.seal(OutgoingMail.from(new MailAddress("bob", DOMAIN))
                .to(new MailAddress("zoe", "nowhere.test")).subject("hello far").text("sealed on the device").build(),
                new MailAddress("zoe", "nowhere.test"), farKey, java.time.Instant.now());
        byte[] raw = message.encode();

        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(first.host(), first.cmtpPort()), TIMEOUT, TIMEOUT)) {
            SignedStatus refused = client.mail(raw, ProofOfWork.none(), client.serverKey());
            assertEquals(StatusWord.DELIVERYFAILURE, refused.word(), "MAIL from outside the relay networks");
        }
        UserApiClient.Reply submitted = bob.postBytes("/api/user/messages", raw);
        assertEquals(200, submitted.status(), submitted.toString());
        JsonObject receipt = submitted.json().asJsonObject();
        assertEquals("SUCCESS", receipt.getString("status"), "queued for nowhere.test");
        byte[] hash = Blake2b.hash512(raw);
        assertEquals(HexFormat.of().formatHex(hash), receipt.getString("hash"));
        assertTrue(Libsodium.verifyDetached(HexFormat.of().parseHex(receipt.getString("signature")),
                MailBytes.concat(utf8("SUCCESS\0"), hash), serverKey), "a receipt libsodium verifies");
        assertTrue(admin.get("/api/queue").body().contains("zoe@nowhere.test"), "in the relay queue");

        Message forged = MailSender.seal(OutgoingMail.from(new MailAddress("alice", DOMAIN))
                .to(new MailAddress("bob", DOMAIN)).subject("not from alice").text("x").build(),
                new MailAddress("bob", DOMAIN), farKey, java.time.Instant.now());
        UserApiClient.Reply other = bob.postBytes("/api/user/messages", forged.encode());
        assertEquals(400, other.status(), "another source account: " + other);
        assertEquals(400, bob.postBytes("/api/user/messages", utf8("not a message")).status());
        assertEquals(413, bob.postBytes("/api/user/messages", new byte[1048577]).status(), "over cmtp.max-message-size");
        assertEquals(401, new UserApiClient(first.http(), null).postBytes("/api/user/messages", raw).status());
    }

    @Test
    void waitingForMailReturnsWhenItArrivesAndKeysAreBound() throws Exception {
        UserApiClient bob = signIn(first, "bob", BOB_PASSWORD);
        long newest = bob.get("/api/user/messages").json().asJsonArray().stream()
                .mapToLong(m -> m.asJsonObject().getJsonNumber("id").longValue()).max().orElse(0);
        UserApiClient.Reply nothing = bob.get("/api/user/messages/wait?timeout=1&after=" + newest);
        assertEquals("[]", nothing.body(), "nothing new: an empty list after the timeout");
        CompletableFuture<UserApiClient.Reply> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return bob.get("/api/user/messages/wait?timeout=60&after=" + newest);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sendOverCmtp("bob", "wake up");
        UserApiClient.Reply woke = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(200, woke.status(), woke.toString());
        assertEquals(1, woke.json().asJsonArray().size(), woke.toString());

        JsonObject key = bob.get("/api/user/keys/alice@USERS.test.").json().asJsonObject();
        byte[] aliceKey = HexFormat.of().parseHex(key.getString("publicKey"));
        assertTrue(Libsodium.verifyDetached(HexFormat.of().parseHex(key.getString("signature")),
                MailBytes.concat(utf8("CMTP-KEYBIND-1\0alice\0users.test\0"), aliceKey), serverKey), "bound as by KEYBIND");
        assertEquals(404, bob.get("/api/user/keys/nobody@users.test").status());
    }

    // ---- the CLI ----------------------------------------------------------------------------

    private static Run cli(java.util.Map<String, String> environment, String... args) throws Exception {
        return CommandLineClient.run(environment, args);
    }

    /** Every encoding of {@code secret} a careless client might send: raw, hex (both cases), base64 and base64url. */
    private static List<byte[]> encodings(byte[] secret) {
        String hex = HexFormat.of().formatHex(secret);
        return List.of(secret, utf8(hex), utf8(hex.toUpperCase()), utf8(Base64.getEncoder().encodeToString(secret)),
                utf8(Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
    }

    @Test
    void theCliReadsAndSendsAsTheUserAndNeitherPasswordNorKeyCrossesTheWire() throws Exception {
        String password = "frank-password-12345";
        String newPassword = "frank-new-password-6789";
        admin.createAccount("frank", password);
        sendOverCmtp("frank", "for the command line", new Attachment("../../evil name.txt", utf8("attached text")));
        byte[] secretKey = openXzibit(new UserApiClient(first.http(), null), "frank", password);
        java.nio.file.Path work = LaunchedServer.freshDataDir("userapi-cli");
        java.nio.file.Files.createDirectories(work);
        java.util.Map<String, String> environment = java.util.Map.of("CMTP_CONFIG_DIR", work.resolve("config").toString(),
                "CMTP_PASSWORD", password, "CMTP_NEW_PASSWORD", newPassword);
        int proxyPort = FreePorts.take();
        String api = "http://127.0.0.1:" + proxyPort + "/";
        try (org.cmtp.it.support.RecordingProxy proxy = new org.cmtp.it.support.RecordingProxy(
                new InetSocketAddress("127.0.0.1", proxyPort), new InetSocketAddress("127.0.0.1", first.plainHttp().getPort()))) {
            String[] global = {"--server", "127.0.0.1:" + first.cmtpPort(), "--api", api};
            java.util.function.Function<String[], String[]> with = args -> java.util.stream.Stream.concat(
                    Arrays.stream(global), Arrays.stream(args)).toArray(String[]::new);

            Run signin = cli(environment, with.apply(new String[] {"signin", "frank@" + DOMAIN}));
            assertEquals(0, signin.exit(), signin.toString());
            assertTrue(java.nio.file.Files.readString(work.resolve("config/known-servers"))
                    .contains(api + " key " + HexFormat.of().formatHex(serverKey)), "pinned on first use");

            Run inbox = cli(environment, with.apply(new String[] {"inbox"}));
            assertEquals(0, inbox.exit(), inbox.toString());
            assertTrue(inbox.out().contains("carol@elsewhere.test") && inbox.out().contains("[unread]")
                    && inbox.out().contains("1 message(s)"), inbox.toString());
            String id = inbox.out().trim().split("\\s+")[0];

            java.nio.file.Path saved = work.resolve("saved");
            Run read = cli(environment, with.apply(new String[] {"read", id, "--save", saved.toString()}));
            assertEquals(0, read.exit(), read.toString());
            assertTrue(read.out().contains("Subject: for the command line"), read.toString());
            assertEquals("attached text", java.nio.file.Files.readString(saved.resolve("evil name.txt")),
                    "saved inside the directory under a safe name");

            Run mark = cli(environment, with.apply(new String[] {"mark", id, "--read"}));
            assertEquals(0, mark.exit(), mark.toString());
            assertFalse(cli(environment, with.apply(new String[] {"inbox"})).out().contains("[unread]"));

            Run send = cli(environment, with.apply(new String[] {"send", "--from", "frank@" + DOMAIN, "--to",
                    "zoe@far.test", "--subject", "from outside", "--text", "via the user API"}));
            assertEquals(0, send.exit(), send.toString());
            assertTrue(send.out().startsWith("SUCCESS zoe@far.test "), "queued for far.test: " + send);
            AdminClient farAdmin = far.admin();
            org.cmtp.it.support.Await.until(() -> {
                try {
                    return farAdmin.get("/api/accounts/zoe/messages").body().contains("frank@users.test");
                } catch (java.io.IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(60), "relayed to far.test");

            Run passwd = cli(environment, with.apply(new String[] {"passwd"}));
            assertEquals(0, passwd.exit(), passwd.toString());

            Run delete = cli(environment, with.apply(new String[] {"delete", id}));
            assertEquals(0, delete.exit(), delete.toString());
            Run sessions = cli(environment, with.apply(new String[] {"sessions"}));
            assertTrue(sessions.out().contains("(this one)"), sessions.toString());

            byte[] wire = proxy.sent();
            assertTrue(wire.length > 1000, "the proxy saw the CLI's requests");
            for (byte[] secret : List.of(utf8(password), utf8(newPassword), secretKey, Arrays.copyOf(secretKey, 32))) {
                for (byte[] encoded : encodings(secret)) {
                    assertFalse(MailBytes.contains(wire, encoded), "a password or the secret key crossed the wire");
                }
            }
        }
        assertArrayEquals(secretKey, openXzibit(new UserApiClient(first.http(), null), "frank", newPassword),
                "the new password opens the same key");

        // not signed in: the same send goes over MAIL, which this client may not relay
        java.util.Map<String, String> outsider = java.util.Map.of("CMTP_CONFIG_DIR", work.resolve("other").toString());
        Run refused = cli(outsider, "--server", "127.0.0.1:" + first.cmtpPort(), "send", "--from", "frank@" + DOMAIN,
                "--to", "zoe@far.test", "--text", "no session");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.out().startsWith("DELIVERYFAILURE zoe@far.test"), refused.toString());
    }
}
