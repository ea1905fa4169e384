package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.it.support.TestServer;
import org.cmtp.sodium.Libsodium;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin REST API as an operator uses it: credentials, accounts, and the problems it answers with. */
@ExtendWith(ArquillianExtension.class)
class AdminApiIT {

    private static final HexFormat HEX = HexFormat.of();

    @Deployment(testable = false)
    static WebArchive server() {
        return ServerDeployment.war();
    }

    @ArquillianResource
    private URL base;

    private URI http;
    private AdminClient admin;

    @BeforeEach
    void setUp() {
        http = TestServer.http(base);
        admin = AdminClient.admin(http);
    }

    @Test
    void everyCallWithoutTheAdminPasswordIs401() throws Exception {
        for (String path : new String[] {"/api/server", "/api/accounts/x", "/api/accounts/x/messages"}) {
            assertEquals(401, AdminClient.anonymous(http).get(path).status(), path);
            assertEquals(401, new AdminClient(http, "admin", "wrong").get(path).status(), path);
            assertEquals(401, new AdminClient(http, "root", TestServer.adminPassword()).get(path).status(), path);
        }
        assertEquals(401, AdminClient.anonymous(http).post("/api/accounts", "{\"name\":\"x\",\"password\":\"12345678\"}")
                .status());
    }

    @Test
    void serverShowsItsDomainAndKey() throws Exception {
        JsonObject server = admin.get("/api/server").json().asJsonObject();
        assertEquals(TestServer.domain(), server.getJsonArray("domains").getString(0));
        assertEquals(64, server.getString("publicKey").length());
    }

    @Test
    void creatingAnAccountAnswers201WithItsAddressAndKey() throws Exception {
        AdminClient.Reply reply = admin.post("/api/accounts", "{\"name\":\"erin\",\"password\":\"erin's password\"}");
        assertEquals(201, reply.status(), reply.body());
        JsonObject account = reply.json().asJsonObject();
        assertEquals("erin", account.getString("name"));
        assertEquals("erin@" + TestServer.domain(), account.getString("address"));
        assertEquals(64, account.getString("publicKey").length());
        assertEquals(account, admin.get("/api/accounts/erin").json().asJsonObject());

        AdminClient.Reply again = admin.post("/api/accounts", "{\"name\":\"erin\",\"password\":\"another one\"}");
        assertProblem(again, 409, "name");
    }

    @Test
    void badRequestsAreProblemDocumentsNamingTheField() throws Exception {
        assertProblem(admin.post("/api/accounts", "{\"password\":\"long enough\"}"), 400, "name");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"short\",\"password\":\"1234\"}"), 400, "password");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"nokeys\"}"), 400, "password");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"hexless\",\"publicKey\":\"zz\",\"xzibit\":\"00\"}"), 400,
                "publicKey");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"badx\",\"publicKey\":\"" + "00".repeat(32)
                + "\",\"xzibit\":\"0001\"}"), 400, "xzibit");
        AdminClient.Reply notJson = admin.post("/api/accounts", "{name: nope");
        assertEquals(400, notJson.status(), notJson.body());
        assertTrue(notJson.contentType().startsWith("application/problem+json"), notJson.contentType());
        assertProblem(admin.get("/api/accounts/nobody"), 404, "name");
        assertProblem(admin.get("/api/accounts/nobody/messages"), 404, "name");
    }

    @Test
    void anImportedAccountServesTheClientMadeKeyAndXzibit() throws Exception {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        byte[][] keys = Libsodium.signSeedKeypair(seed);
        byte[] xzibit = clientMadeXzibit(keys[0], keys[1], "frank's password");
        AdminClient.Reply reply = admin.post("/api/accounts", Json.createObjectBuilder().add("name", "frank")
                .add("publicKey", HEX.formatHex(keys[0])).add("xzibit", HEX.formatHex(xzibit)).build().toString());
        assertEquals(201, reply.status(), reply.body());
        byte[] serverKey = HEX.parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            assertArrayEquals(keys[0], Replies.expectKey(cmtp.send("KEYREQUEST\0frank\0\0"), serverKey));
            byte[] login = cmtp.send("LOGIN\0frank\0").read(220);
            assertArrayEquals(xzibit, Arrays.copyOf(login, 156), "LOGIN hands out the imported xzibit");
        }
    }

    /** An xzibit made the way a libsodium client makes one (PROTOCOL.md §2). */
    private static byte[] clientMadeXzibit(byte[] publicKey, byte[] secretKey, String password) {
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        byte[] key = Libsodium.scryptInteractive(password.getBytes(StandardCharsets.UTF_8), salt);
        byte[] plain = new byte[96];
        System.arraycopy(publicKey, 0, plain, 0, 32);
        System.arraycopy(secretKey, 0, plain, 32, 64);
        byte[] ciphertext = Libsodium.aeadChaCha20Poly1305Encrypt(plain, Arrays.copyOf(salt, 8), key);
        return ByteBuffer.allocate(156).putInt(1).put(salt).putLong(ciphertext.length).put(ciphertext).array();
    }

    private static void assertProblem(AdminClient.Reply reply, int status, String field) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
        JsonObject problem = reply.json().asJsonObject();
        assertEquals(status, problem.getInt("status"));
        assertEquals(field, problem.getString("field"), reply.body());
        assertTrue(problem.getString("detail").length() > 5, "a detail a person can read: " + reply.body());
    }
}
